"""The membership timeline: a Gantt chart of who belonged to what, when, in what role.

matplotlib is imported only inside these functions. Like every diagram (see
:mod:`cstograph.viz.network`), it reads in greyscale (fill and hatching carry each role,
marker shapes each event type) and is deterministic. Each bar has a ``gid`` starting ``bar:``,
so tests can count what was drawn.
"""

from __future__ import annotations

import textwrap
from datetime import date
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from cstograph.analysis.snapshot import scope
from cstograph.index.history import History
from cstograph.model.kinds import KINDS
from cstograph.model.terms import EVENT_CLASSES, RDF
from cstograph.temporal import Precision
from cstograph.viz.style import new_figure, short_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["timeline_figure"]

# Timeline bar styles by role: (face, hatch).
_ROLES: dict[str, tuple[str, str]] = {
    "full member": ("#404040", ""),
    "party/signatory": ("#8c8c8c", ""),
    "participation frozen": ("#ffffff", "xxx"),
    "suspended": ("#ffffff", "+++"),
    "associate member": ("#bfbfbf", "///"),
    "observer": ("#ffffff", "..."),
    "partner": ("#ffffff", "\\\\\\"),
    "": ("#ffffff", "---"),
}
_EVENT_MARKERS = ["v", "*", "X", "p", "h", "<", ">", "d"]


def _num(day: date) -> float:
    """A date as matplotlib's date axis counts it (days since its epoch)."""
    from matplotlib.dates import date2num

    return float(date2num(day))  # type: ignore[no-untyped-call]


def _period_end(first: date, precision: str | None) -> date:
    """The day after the month or year that starts at ``first``."""
    if precision == Precision.YEAR:
        return date(first.year + 1, 1, 1)
    if precision == Precision.MONTH:
        return date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first


def _day(value: date, start: date, end: date) -> date:
    return min(max(value, start), end)


def _events(history: History, within: set[str] | None) -> list[Any]:
    found = {}
    for cls in EVENT_CLASSES:
        for node in history.graph.subjects(RDF.type, cls):
            if isinstance(node, URIRef) and node not in found:
                event = history.event(node)
                if within is None or {p.id for p in event.participants} & within:
                    found[node] = event
    return sorted(found.values(), key=lambda e: (e.start, e.id))


def timeline_figure(history: History, start: int, end: int, *, org: str | None = None) -> Figure:
    """A Gantt chart: one row per state (and organization), one bar per membership or
    stated non-membership (the kinds with a ``Kind.timeline`` outline), role shown by fill
    and hatching; a bound known only to the month or year has its uncertain stretch drawn
    hatched and pale, a bound qualified "by" or "or later" an arrowhead pointing where the
    true date may lie; dated events on the top row, one marker shape per event type."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MultipleLocator

    first, stop = date(start, 1, 1), date(end + 1, 1, 1)
    within = scope(history, [org]) if org else None
    shown = {k.name: k for k in KINDS if k.timeline is not None}  # the kinds with bars
    relations = [
        r
        for r in history.all_relations()
        if r.kind in shown
        and (within is None or r.object.id in within)
        and r.start < stop
        and (r.end is None or r.end > first)
    ]
    organizations = sorted({r.object.id for r in relations})
    several = len(organizations) > 1
    short = {o: short_label(history, o).replace("\n", " ") for o in organizations}
    rows = sorted(
        {(r.subject.label, short[r.object.id] if several else "") for r in relations},
        reverse=True,
    )
    row_of = {key: i for i, key in enumerate(rows)}
    fig = new_figure(11, 1.2 + 0.28 * (len(rows) + 2))
    ax = fig.add_subplot()
    drawn = 0
    for r in relations:
        y = row_of[(r.subject.label, short[r.object.id] if several else "")]
        face, hatch = _ROLES.get(r.role or "", _ROLES[""])
        left = _day(r.start, first, stop)
        right = _day(r.end or stop, first, stop)
        bar = ax.barh(
            y,
            (right - left).days,
            left=_num(left),
            height=0.62,
            color=face,
            hatch=hatch,
            edgecolor="black",
            linewidth=0.6,
            linestyle=shown[r.kind].timeline,
        )
        bar.patches[0].set_gid(f"bar:{r.id}")
        drawn += 1
        for value, precision in ((r.start, r.start_precision), (r.end, r.end_precision)):
            if value is None or precision == Precision.DAY:
                continue
            a, b = _day(value, first, stop), _day(_period_end(value, precision), first, stop)
            if b > a:
                ax.barh(
                    y,
                    (b - a).days,
                    left=_num(a),
                    height=0.62,
                    color="white",
                    alpha=0.65,
                    hatch="////",
                    edgecolor="#666666",
                    linewidth=0,
                )
        for value, qualifier in ((r.start, r.start_qualifier), (r.end, r.end_qualifier)):
            if value is None or qualifier is None or not first <= value < stop:
                continue
            marker = "<" if qualifier == "not later than" else ">"
            ax.plot(
                [_num(value)], [y], marker=marker, color="black", markersize=5, linestyle="none"
            )
    events = _events(history, within)
    types = sorted({e.type for e in events})
    top = len(rows)
    for i, kind in enumerate(types):
        days = [_num(e.start) for e in events if e.type == kind and first <= e.start < stop]
        ax.plot(
            days,
            [top + 0.1 * (i % 3) - 0.1] * len(days),
            linestyle="none",
            marker=_EVENT_MARKERS[i % len(_EVENT_MARKERS)],
            color="#333333",
            markerfacecolor="white",
            markersize=6,
        )
    labels = [
        textwrap.shorten(f"{state} · {o}" if o else state, 44, placeholder="…") for state, o in rows
    ] + ["events"]
    ax.set_yticks(range(len(rows) + 1), labels, fontsize=8)
    ax.set_ylim(-0.7, len(rows) + 0.7)
    ax.set_xlim(_num(first), _num(stop))
    step = 1 if end - start <= 12 else 2 if end - start <= 30 else 5
    ticks = [y for y in range(start, end + 2) if y % step == 0]
    ax.set_xticks([_num(date(y, 1, 1)) for y in ticks], [str(y) for y in ticks], fontsize=8)
    ax.xaxis.set_minor_locator(MultipleLocator(365.25))
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    where = f"{short_label(history, history.resolve(org).id)} memberships" if org else "Memberships"
    ax.set_title(f"{where} {start}–{end}", loc="left")
    roles = sorted({r.role or "" for r in relations if shown[r.kind].role is not None})
    handles: list[Any] = [
        Patch(
            facecolor=_ROLES.get(role, _ROLES[""])[0],
            hatch=_ROLES.get(role, _ROLES[""])[1],
            edgecolor="black",
            label=role or "member",
        )
        for role in roles
    ]
    present = {r.kind for r in relations}
    handles += [  # a kind without roles has one entry, drawn as its bars are
        Patch(
            facecolor=_ROLES[""][0],
            hatch=_ROLES[""][1],
            edgecolor="black",
            linestyle=table.timeline,
            label=table.label,
        )
        for name, table in shown.items()
        if table.role is None and name in present
    ]
    handles.append(
        Patch(
            facecolor="white", hatch="////", edgecolor="#666666", label="date known to month/year"
        )
    )
    handles.append(
        Line2D([], [], marker="<", linestyle="none", color="black", label="began by / ended by")
    )
    handles.append(Line2D([], [], marker=">", linestyle="none", color="black", label="or later"))
    handles += [
        Line2D(
            [],
            [],
            marker=_EVENT_MARKERS[i % len(_EVENT_MARKERS)],
            linestyle="none",
            color="#333333",
            markerfacecolor="white",
            label=kind,
        )
        for i, kind in enumerate(types)
    ]
    fig.legend(handles=handles, loc="outside right upper", fontsize=7, frameon=False)
    fig.set_label(f"bars:{drawn}")
    return fig
