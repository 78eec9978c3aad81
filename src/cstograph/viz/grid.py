"""Small multiples of the network at the turning points: the years the memberships of the
CSTO's lineage (or an organization's) change most, two panels a row, a page wide.

Every panel is drawn by :func:`cstograph.viz.network.draw_network` in one layout, that of the
union of the years shown, so panels compare; each is titled with what changed that year
(:func:`cstograph.analysis.membership.summaries`). matplotlib is imported only inside.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import networkx as nx

from cstograph.analysis.membership import (
    changes,
    focus_states,
    membership_panels,
    summaries,
    turning_points,
)
from cstograph.analysis.membership import lineage as org_lineage
from cstograph.index.history import History
from cstograph.viz.network import draw_key, draw_network, layout, network_graph, with_key
from cstograph.viz.style import new_figure, short_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["grid_figure", "grid_years"]


def grid_years(
    history: History, start: int, end: int, most: int = 7, *, org: str = "cs:csto"
) -> list[int]:
    """The turning points of ``org`` and what it was renamed from (the CSTO and the
    Collective Security Treaty) between ``start`` and ``end``: the ``most`` years their
    memberships change most, and ``end``.

    Examples
    --------
    >>> from cstograph import load
    >>> grid_years(History(load()), 1991, 2026)
    [1992, 1993, 1999, 2003, 2006, 2012, 2024, 2026]
    """
    lineage = org_lineage(history, org)
    panels = membership_panels(history, start, end, orgs=lineage or None)
    years = turning_points(changes(panels, start, end), most)
    return sorted(set(years) | {end})


def grid_figure(
    history: History,
    start: int,
    end: int,
    *,
    org: str | None = None,
    years: Sequence[int] | None = None,
) -> Figure:
    """Small multiples of the network at the turning points (:func:`grid_years`), two
    columns a page wide, each panel titled with what changed in the lineage of ``org`` (the
    CSTO's without it) that year; the same layout (of the union of the years) in every
    panel."""
    focus = history.resolve(org).id if org else "cs:csto"
    chosen = sorted(years) if years is not None else grid_years(history, start, end, org=focus)
    states = focus_states(history) or None if org is None else None
    graphs = {y: network_graph(history, y, org=org, states=states) for y in chosen}
    union: nx.MultiDiGraph[str] = (
        nx.compose_all(list(graphs.values())) if graphs else nx.MultiDiGraph()
    )
    where = layout(history, union)
    lineage = org_lineage(history, focus)
    found = changes(membership_panels(history, start, end, orgs=lineage or None), start, end)
    columns = 2
    rows = max(math.ceil(len(chosen) / columns), 1)
    fig = new_figure(12, rows * (0.9 + 0.27 * (where.height + 1)) + 1.4)
    axes, key_ax = with_key(fig, rows, columns, 1.4)
    for ax, year in zip(axes, chosen, strict=False):
        draw_network(ax, history, graphs[year], where, small=True)
        said = [
            text
            for when, text in summaries(
                found, lambda e: short_label(history, e.id).replace("\n", " ")
            )
            if when == year
        ]
        title = f"{year}"
        if said:
            more = f" (+{len(said) - 3} more)" if len(said) > 3 else ""
            title += " — " + "; ".join(said[:3]) + more
        ax.set_title("\n".join(textwrap.wrap(title, 78)), loc="left", fontsize=8.5)
    for ax in axes[len(chosen) :]:
        ax.set_axis_off()
    draw_key(key_ax, history, union)
    from cstograph.index.notes import recorded_whole

    if org and recorded_whole(history, focus) is False:
        fig.suptitle(
            f"{history.label(history.iri(focus))}: recorded in part (see the coverage notes)",
            x=0.01,
            ha="left",
            fontsize=10,
        )
    return fig
