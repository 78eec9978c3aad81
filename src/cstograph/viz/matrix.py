"""The membership matrix: states by years, one panel per organization, each cell the role
the state held that year; the report's lead figure.

matplotlib is imported only inside these functions. Cells follow the record's rule
(:mod:`cstograph.analysis.membership`): a cell is drawn where the membership held or its
imprecise bounds touch the year (paler, outlined dashed), and the years an organization did
not exist are left blank (a pale band marks the years it did). Role is colour (Okabe-Ito)
and hatching, so greyscale reads. Each panel's cells are drawn as one collection per role
and grade with the ``gid`` ``cells:ORG:ROLE:GRADE`` (one path per cell) and the band as
``life:ORG``, so tests can count what was drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cstograph.analysis.membership import Panel, focus_states, membership_panels
from cstograph.analysis.membership import lineage as org_lineage
from cstograph.index.history import History
from cstograph.index.notes import recorded_whole
from cstograph.viz.style import (
    GRADE_ALPHA,
    ROLES,
    abbreviation_key,
    new_figure,
    role_patches,
    role_style,
    short_label,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["matrix_figure"]


def _panel(ax: Axes, history: History, panel: Panel, start: int, end: int) -> None:
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    rows = {s.id: i for i, s in enumerate(reversed(panel.states))}
    first, last = panel.life
    low, high = max(start, first), min(end, last if last is not None else end)
    if low <= high:
        band = PatchCollection(
            [Rectangle((low, i - 0.5), high - low + 1, 1.0) for i in rows.values()],
            facecolor="#eeeeee",
            edgecolor="none",
            zorder=0,
        )
        band.set_gid(f"life:{panel.org.id}")
        ax.add_collection(band)
    groups: dict[tuple[str, str], list[Any]] = {}
    for (state, year), cell in sorted(panel.cells.items()):
        if start <= year <= end:
            groups.setdefault((cell.role, cell.grade), []).append(
                Rectangle((year + 0.04, rows[state] - 0.38), 0.92, 0.76)
            )
    for (role, grade), patches in sorted(groups.items()):
        style = role_style(role)
        cells = PatchCollection(
            patches,
            facecolor=style.colour,
            alpha=GRADE_ALPHA.get(grade, 1.0),
            edgecolor="black" if grade == "held" else "#333333",
            linewidth=0.3 if grade == "held" else 0.6,
            linestyle="-" if grade == "held" else "--",
            hatch=style.hatch or None,
            zorder=2,
        )
        cells.set_gid(f"cells:{panel.org.id}:{role}:{grade}")
        ax.add_collection(cells)
    ax.set_yticks(list(rows.values()), list(rows), fontsize=8)
    ax.set_yticklabels([s.label for s in reversed(panel.states)])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlim(start, end + 1)
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    whole = recorded_whole(history, panel.org.id)
    note = "" if whole else " · recorded in part (see coverage)" if whole is False else ""
    short = short_label(history, panel.org.id).replace("\n", " ")
    full = panel.org.label
    title = short if short == full else f"{short} — {full}"
    ax.set_title(title + note, loc="left", fontsize=9, fontweight="bold", pad=3)


def matrix_figure(
    history: History,
    start: int,
    end: int,
    *,
    orgs: Sequence[str] | None = None,
    states: Sequence[str] | None = None,
) -> Figure:
    """States by years per organization, each cell the role held that year.

    Without ``orgs`` every organization with a state member in some role; without
    ``states`` (ids), the states of the CSTO and the Collective Security Treaty
    (:func:`~cstograph.analysis.membership.focus_states`) when ``orgs`` is not given either,
    else every state.

    Examples
    --------
    >>> from cstograph import load
    >>> fig = matrix_figure(History(load()), 2000, 2013, orgs=["cs:csto"])
    >>> sorted({c.get_gid().split(":")[3] for c in fig.axes[0].collections
    ...     if (c.get_gid() or "").startswith("cells:")})
    ['full member', 'suspended']
    """
    from matplotlib.patches import Patch
    from matplotlib.ticker import MultipleLocator

    if states is None and orgs is None:
        states = focus_states(history) or None
    panels = membership_panels(history, start, end, orgs=orgs, states=states)
    if orgs is None:  # the CSTO and what it was renamed from first, then by founding
        lineage = set(org_lineage(history)) if states is not None else set()
        panels.sort(key=lambda p: (p.org.id not in lineage, p.life[0], p.org.label))
    drawn = [year for p in panels for (_, year) in p.cells]
    if drawn:  # the axis starts with the data drawn, not with the range asked
        start = max(start, min(drawn))
    heights = [max(len(p.states), 1) + 1.6 for p in panels] or [1.0]
    fig = new_figure(10, 0.9 + 0.17 * sum(heights))
    if not panels:
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, f"No memberships {start}–{end}", ha="center", transform=ax.transAxes)
        return fig
    axes = fig.subplots(
        len(panels), 1, sharex=True, squeeze=False, gridspec_kw={"height_ratios": heights}
    ).ravel()
    for ax, panel in zip(axes, panels, strict=True):
        _panel(ax, history, panel, start, end)
        ax.xaxis.set_minor_locator(MultipleLocator(1))
    step = 1 if end - start <= 12 else 2 if end - start <= 24 else 5
    ticks = [y for y in range(start, end + 1) if y % step == 0]
    for ax in axes:
        for t in ticks:  # year boundaries, behind the cells
            ax.axvline(t, color="#bbbbbb", linewidth=0.5, zorder=1)
    axes[-1].set_xticks([t + 0.5 for t in ticks], [str(t) for t in ticks], fontsize=8)
    handles: list[Any] = role_patches(c.role for p in panels for c in p.cells.values())
    if any(c.grade != "held" for p in panels for c in p.cells.values()):
        handles.append(
            Patch(
                facecolor=ROLES["full member"].colour,
                alpha=GRADE_ALPHA["bounds imprecise"],
                edgecolor="#333333",
                linestyle="--",
                label="bounds imprecise",
            )
        )
    handles.append(Patch(facecolor="#eeeeee", label="organization existed, no role"))
    fig.legend(handles=handles, loc="outside lower center", ncols=5, fontsize=8, frameon=False)
    whom = "the CSTO's states" if states is not None and orgs is None else "states"
    fig.suptitle(
        f"Who held which role, {start}–{end}: {whom} by year, one panel per organization "
        "(blank: the organization did not exist)",
        fontsize=10,
        x=0.01,
        ha="left",
    )
    key = abbreviation_key(history, [p.org.id for p in panels])
    fig.set_label(f"panels:{len(panels)}" + (f" key:{len(key)}" if key else ""))
    return fig
