"""The membership timeline: a Gantt chart of who belonged to what, when, in what role.

matplotlib is imported only inside these functions. One row per state across an
organization's lineage (the CSTO's row of a state holds its Collective Security Treaty bar
in an upper lane and its CSTO bar in a lower one, each bar labelled with its
organization); stated non-memberships share one thin row at the bottom; dated events sit in
a band on top, each with its short name and the marker of its type
(:data:`cstograph.viz.style.EVENT_MARKERS`, the same in every figure). Roles are the colours
and hatches of :data:`cstograph.viz.style.ROLES`, so greyscale reads. The axis starts at the
first relation drawn, not at the range asked for. Each bar has a ``gid`` starting ``bar:``,
each event label one starting ``event:``, so tests can count what was drawn.
"""

from __future__ import annotations

import re
import textwrap
from datetime import date
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from cstograph.analysis.snapshot import scope
from cstograph.index.history import History
from cstograph.model.kinds import KINDS, Kind
from cstograph.model.records import Event, Relation
from cstograph.model.terms import EVENT_CLASSES, ORG, RDF, short_name
from cstograph.temporal import Precision
from cstograph.viz.style import (
    abbreviation_key,
    event_marker,
    new_figure,
    role_patches,
    role_style,
    short_label,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["event_name", "timeline_figure"]


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


def _events(history: History, within: set[str] | None) -> list[Event]:
    """The preferred events with a participant in ``within`` (all when ``None``)."""
    found: dict[URIRef, Event] = {}
    for cls in EVENT_CLASSES:
        for node in history.graph.subjects(RDF.type, cls):
            if isinstance(node, URIRef) and node not in found:
                event = history.event(node)
                if event.preferred is False:
                    continue
                if within is None or {p.id for p in event.participants} & within:
                    found[node] = event
    return sorted(found.values(), key=lambda e: (e.start, e.id))


def event_name(history: History, event: Event) -> str:
    """A short name for an event: "CSTO founded", "CST → CSTO", else its label up to the
    first comma, colon or parenthesis, at most 34 characters.

    Examples
    --------
    >>> from cstograph import load
    >>> history = History(load())
    >>> event_name(history, history.event(history.iri("cs:event-renaming-cst-csto-2002")))
    'CST → CSTO'
    """
    graph = history.graph
    node = history.iri(event.id)

    def named(predicate: URIRef) -> list[str]:
        return sorted(
            short_label(history, short_name(o)).replace("\n", " ")
            for o in graph.objects(node, predicate)
            if isinstance(o, URIRef)
        )

    made, ended = named(ORG.resultingOrganization), named(ORG.originalOrganization)
    if made and ended:
        return f"{ended[0]} → {made[0]}"
    if made and event.type == "founding":
        return f"{made[0]} founded"
    if ended and event.type == "dissolution":
        return f"{ended[0]} dissolved"
    session = _SESSION.match(event.label)
    if session:  # "CSC session, Dushanbe": the body and the place the label gives
        jubilee, place = session.group(1), session.group(2)
        return f"CSC {'jubilee ' if jubilee else ''}session" + (f", {place}" if place else "")
    exercise = _EXERCISE.match(event.label)
    if exercise:  # "Exercise Interaction-2015 of the ..." is the exercise's own name
        return exercise.group(1)
    text = re.split(r", | \(|: ", event.label, maxsplit=1)[0]
    return textwrap.shorten(text, 34, placeholder="…")


# The labels of routine events the graph writes one way (graph/csto-events.ttl): a session of
# the Collective Security Council with its place, an exercise with its name first.
_SESSION = re.compile(
    r"(Jubilee )?[Ss]ession of the CSTO Collective Security Council(?:,? (?:in )?([A-Z][a-z]+),)?"
)
_EXERCISE = re.compile(r"Exercises? ([A-Z][\w-]*-\d{4})\b")

# Abbreviations the short event names use that are not an entity's own.
_NAME_KEY = {"CSC": "CSTO Collective Security Council (the heads of state)"}


def _levels(spans: list[tuple[float, float]]) -> list[int]:
    """A level for each ``(left, right)`` label so labels on one level do not overlap."""
    ends: list[float] = []
    found = []
    for left, right in spans:
        for level, end in enumerate(ends):
            if left > end:
                ends[level] = right
                found.append(level)
                break
        else:
            ends.append(right)
            found.append(len(ends) - 1)
    return found


def _bounds_marks(ax: Axes, r: Relation, y: float, height: float, first: date, stop: date) -> None:
    """The pale hatched stretch of a bound known to the month or year, the arrowhead of a
    "by" or "or later" bound."""
    for value, precision in ((r.start, r.start_precision), (r.end, r.end_precision)):
        if value is None or precision == Precision.DAY:
            continue
        a, b = _day(value, first, stop), _day(_period_end(value, precision), first, stop)
        if b > a:
            ax.barh(
                y,
                (b - a).days,
                left=_num(a),
                height=height,
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
        ax.plot([_num(value)], [y], marker=marker, color="black", markersize=5, linestyle="none")


def _ties(kind: Kind) -> bool:
    """Whether bars of the kind are ties (a stated non-membership is not: one thin row)."""
    return kind.style is None or kind.style.tie


def timeline_figure(history: History, start: int, end: int, *, org: str | None = None) -> Figure:
    """A Gantt chart: one row per member across the lineage of ``org`` (or every
    organization), one bar per membership, role shown by colour and hatching; a bound known
    only to the month or year has its uncertain stretch drawn hatched and pale, a bound
    qualified "by" or "or later" an arrowhead pointing where the true date may lie; stated
    non-memberships in one thin row; dated events on top, labelled."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MultipleLocator

    from cstograph.index.notes import recorded_whole

    within = scope(history, [org]) if org else None
    shown = {k.name: k for k in KINDS if k.timeline is not None}  # the kinds with bars
    relations = [
        r
        for r in history.all_relations()
        if r.kind in shown
        and (within is None or r.object.id in within)
        and r.start < date(end + 1, 1, 1)
        and (r.end is None or r.end > date(start, 1, 1))
    ]
    if relations:  # the axis starts with the data drawn, not with the range asked
        start = max(start, min(r.start.year for r in relations))
    first, stop = date(start, 1, 1), date(end + 1, 1, 1)
    ties = [r for r in relations if _ties(shown[r.kind])]
    statements = [r for r in relations if r not in ties]
    lanes = sorted(
        {r.object.id for r in ties},
        key=lambda o: (min(x.start for x in ties if x.object.id == o), o),
    )
    short = {
        o: short_label(history, o).replace("\n", " ") for o in {r.object.id for r in relations}
    }
    subjects = sorted({r.subject.label for r in ties}, reverse=True)
    row_of = {label: i + (1 if statements else 0) for i, label in enumerate(subjects)}
    rows = len(subjects) + (1 if statements else 0)
    events = [e for e in _events(history, within) if first <= e.start < stop]
    names = [event_name(history, e) for e in events]
    per_char = (_num(stop) - _num(first)) / 7.6 / 72 * 6.5 * 0.75  # days per character
    spans = [
        (_num(e.start), _num(e.start) + per_char * (len(n) + 2))
        for e, n in zip(events, names, strict=True)
    ]
    levels = _levels(spans)
    band_height = 0.45 + 0.16 * (max(levels, default=0) + 1)
    fig = new_figure(11, 1.1 + band_height + 0.36 * rows)
    band, ax = fig.subplots(
        2, 1, sharex=True, gridspec_kw={"height_ratios": [band_height, 0.36 * rows + 0.4]}
    )
    drawn = 0
    for r in ties:
        own = sorted(
            {x.object.id for x in ties if x.subject.label == r.subject.label}, key=lanes.index
        )
        height = 0.76 / len(own)
        y = row_of[r.subject.label] + 0.38 - height * (own.index(r.object.id) + 0.5)
        style = role_style(r.role)
        left, right = _day(r.start, first, stop), _day(r.end or stop, first, stop)
        bar = ax.barh(
            y,
            (right - left).days,
            left=_num(left),
            height=height * 0.9,
            color=style.colour,
            hatch=style.hatch or None,
            edgecolor="black",
            linewidth=0.5,
        )
        bar.patches[0].set_gid(f"bar:{r.id}")
        drawn += 1
        if len(lanes) > 1 and (right - left).days > 1100:  # name the lane's organization
            ax.text(
                _num(left) + 60,
                y,
                short[r.object.id],
                va="center",
                ha="left",
                fontsize=6.5,
                color="white" if style.colour in ("#0072B2", "#D55E00") else "black",
                zorder=5,
            )
        _bounds_marks(ax, r, y, height * 0.9, first, stop)
    for r in statements:
        left, right = _day(r.start, first, stop), _day(r.end or stop, first, stop)
        bar = ax.barh(
            0,
            max((right - left).days, 30),
            left=_num(left),
            height=0.3,
            color="white",
            edgecolor="#555555",
            linewidth=0.6,
            linestyle="--",
        )
        bar.patches[0].set_gid(f"bar:{r.id}")
        drawn += 1
    if statements:
        by_day: dict[date, list[str]] = {}
        for r in statements:
            by_day.setdefault(r.start, []).append(r.subject.label)
        for day, said in sorted(by_day.items()):
            ax.text(
                _num(_day(day, first, stop)) + 200,
                0,
                ", ".join(sorted(set(said))),
                va="center",
                fontsize=6.5,
                color="#333333",
            )
    labels = [textwrap.shorten(label, 28, placeholder="…") for label in subjects]
    ticks = list(row_of.values())
    if statements:
        ticks, labels = [0, *ticks], ["stated non-members", *labels]
    ax.set_yticks(ticks, labels, fontsize=8)
    ax.set_ylim(-0.6, rows - 0.4)
    ax.set_xlim(_num(first), _num(stop))
    step = 1 if end - start <= 12 else 2 if end - start <= 30 else 5
    years = [y for y in range(start, end + 2) if y % step == 0]
    ax.set_xticks([_num(date(y, 1, 1)) for y in years], [str(y) for y in years], fontsize=8)
    ax.xaxis.set_minor_locator(MultipleLocator(365.25))
    ax.grid(axis="x", color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    # events: markers on a baseline, short names stacked on levels so none overlap
    types = sorted({e.type for e in events})
    for e, name, level in zip(events, names, levels, strict=True):
        x = _num(e.start)
        band.plot([x, x], [0, 0.6 + level], color="#bbbbbb", linewidth=0.5, zorder=1)
        band.plot(
            [x],
            [0],
            marker=event_marker(e.type),
            color="black",
            markerfacecolor="white",
            markersize=6,
            linestyle="none",
            zorder=3,
        )
        label = band.text(x, 0.6 + level, " " + name, fontsize=6.5, va="center", ha="left")
        label.set_gid(f"event:{e.id}")
    band.set_ylim(-0.5, max(levels, default=0) + 1.2)
    band.set_yticks([])
    title = f"{short_label(history, history.resolve(org).id) if org else ''} "
    title += f"memberships and events {start}–{end}"
    if org and recorded_whole(history, history.resolve(org).id) is False:
        title += " (recorded in part: see the coverage notes)"
    band.set_title(title.strip(), loc="left")
    for side in ("top", "right", "left"):
        band.spines[side].set_visible(False)
    handles: list[Any] = role_patches(r.role or "member" for r in ties)
    if statements:
        handles.append(
            Patch(facecolor="white", edgecolor="#555555", linestyle="--", label="stated non-member")
        )
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
            marker=event_marker(kind),
            linestyle="none",
            color="black",
            markerfacecolor="white",
            label=kind,
        )
        for kind in types
    ]
    fig.legend(handles=handles, loc="outside right upper", fontsize=7, frameon=False)
    named = set(lanes) | {
        short_name(o)
        for e in events
        for p in (ORG.resultingOrganization, ORG.originalOrganization)
        for o in history.graph.objects(history.iri(e.id), p)
    }
    spelt = abbreviation_key(history, sorted(named))
    spelt += [
        (short, full)
        for short, full in _NAME_KEY.items()
        if any(n.startswith(f"{short} ") for n in names)
    ]
    if spelt:  # every abbreviation on the lanes and in the event names, spelt out
        text = "   ".join(f"{short}: {full}" for short, full in spelt)
        key = fig.text(
            0.01, 0.0, "\n".join(textwrap.wrap(text, 170)), fontsize=7, va="bottom", ha="left"
        )
        key.set_gid("key:" + " ".join(short for short, _ in spelt))
        room = (0.15 + 0.13 * len(textwrap.wrap(text, 170))) / fig.get_figheight()
        engine = fig.get_layout_engine()
        if isinstance(engine, ConstrainedLayoutEngine):  # leave the key its room
            engine.set(rect=(0, room, 1, 1 - room))
    fig.set_label(f"bars:{drawn}")
    return fig
