"""Who held which role in which organization, year by year: the table behind the membership
matrix, the report's findings and the turning points the small multiples show.

Every cell follows the record's rule (:meth:`cstograph.temporal.YearSpan.grade`, the same one
snapshots and ``members`` use): a membership is in a year when it held there or its
imprecise bounds touch it; "not excluded" years (beyond a "by" / "or later" bound) count only
with ``possible``. An organization's life runs from its founding (a ``cst:Founding`` or any
``org:ChangeEvent`` resulting in it, the preferred claim where sources conflict) to its
dissolution (a ``cst:Dissolution`` or a succession ending it; a ``cst:Renaming`` does not end
the body renamed), else from its first recorded membership and open-ended.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from rdflib import URIRef

from cstograph.errors import InputError
from cstograph.index.history import MEMBER_ROLES, History
from cstograph.model.kinds import KINDS
from cstograph.model.records import Entity, Relation
from cstograph.model.terms import CST, ORG, RDF
from cstograph.temporal import Grade, year_span

__all__ = [
    "Cell",
    "Change",
    "Panel",
    "changes",
    "focus_states",
    "lineage",
    "member_counts",
    "membership_panels",
    "organization_life",
    "summaries",
    "turning_points",
]


@dataclass(frozen=True, slots=True)
class Cell:
    """What one state held in one organization during one year.

    ``role`` is the role the cell shows: the one of the relation begun last among those in
    effect that year (a state suspended in June shows as suspended); ``roles`` every role
    it held some day of the year; ``grade`` the grade of the shown relation (``held`` or
    ``bounds imprecise``, or ``not excluded`` when asked for); ``member`` whether any of the
    roles counts as membership (full member, party/signatory, participation frozen), as
    :meth:`History.members` counts.
    """

    role: str
    grade: str
    roles: tuple[str, ...]
    member: bool
    relation: str
    until: date | None = None


@dataclass(frozen=True)
class Panel:
    """One organization's rows: the states that held a role in it during the years asked,
    its life (first and last year, inclusive; ``None`` open-ended) and the cells."""

    org: Entity
    life: tuple[int, int | None]
    states: tuple[Entity, ...]
    cells: dict[tuple[str, int], Cell] = field(default_factory=dict)

    def existed(self, year: int) -> bool:
        """Whether the organization existed at some day of ``year``."""
        first, last = self.life
        return first <= year and (last is None or year <= last)

    def members(self, year: int) -> list[str]:
        """The ids of the states counted as members during ``year``."""
        return sorted(s.id for s in self.states if (c := self.cells.get((s.id, year))) and c.member)


@dataclass(frozen=True, slots=True)
class Change:
    """A state's role in an organization that differs from the year before."""

    year: int
    org: Entity
    state: Entity
    before: str | None
    after: str | None

    @property
    def what(self) -> str:
        """The change without the state: ``"joins (full member)"``, ``"leaves (was
        observer)"``, ``"full member → suspended"``."""
        if self.before is None:
            return f"joins ({self.after})"
        if self.after is None:
            return f"leaves (was {self.before})"
        return f"{self.before} → {self.after}"

    @property
    def text(self) -> str:
        """``"Uzbekistan: full member -> suspended"``, ``"Uzbekistan joins (full member)"``."""
        if self.before is None:
            return f"{self.state.label} joins ({self.after})"
        if self.after is None:
            return f"{self.state.label} leaves (was {self.before})"
        return f"{self.state.label}: {self.before} → {self.after}"


def _membership_kinds() -> set[str]:
    """The kinds whose subjects are an organization's members in some role."""
    return {k.name for k in KINDS if k.counts_as == "member"}


def _event_dates(history: History, predicate: URIRef, org: URIRef) -> dict[URIRef, date]:
    """The start dates of the events linking ``org`` by ``predicate`` (preferred claims)."""
    graph = history.graph
    found = {}
    for event in graph.subjects(predicate, org):
        preferred = graph.value(event, CST.preferred)
        if not isinstance(event, URIRef) or str(preferred).lower() in ("false", "0"):
            continue
        found[event] = history.event(event).start
    return found


def organization_life(history: History, org_id: str) -> tuple[int, int | None]:
    """The first and last year an organization existed (``None``: still exists).

    Examples
    --------
    >>> from cstograph import load
    >>> history = History(load())
    >>> organization_life(history, "cs:eurasec"), organization_life(history, "cs:csto")
    ((2001, 2014), (2002, None))
    """
    node = history.iri(org_id)
    graph = history.graph
    born = _event_dates(history, ORG.resultingOrganization, node)
    ended = {
        event: day
        for event, day in _event_dates(history, ORG.originalOrganization, node).items()
        if (event, RDF.type, CST.Renaming) not in graph
        and (
            (event, RDF.type, CST.Dissolution) in graph
            or any(
                o != node for o in graph.objects(event, ORG.resultingOrganization)
            )  # a succession: another body takes over
        )
    }
    starts = [r.start for r in history.relations(object=org_id)]
    first = min(born.values()) if born else min(starts, default=date.max)
    if first == date.max:
        first = date(1, 1, 1)
    last: int | None = None
    if ended:
        stop = min(ended.values())  # the day it no longer exists
        last = stop.year - 1 if (stop.month, stop.day) == (1, 1) else stop.year
    return first.year, last


def _panel_relations(
    history: History, orgs: Iterable[str] | None, states: Iterable[str] | None
) -> dict[str, list[Relation]]:
    kinds = _membership_kinds()
    wanted = set(orgs) if orgs is not None else None
    chosen = set(states) if states is not None else None
    by_org: dict[str, list[Relation]] = defaultdict(list)
    for r in history.all_relations():
        if r.kind not in kinds or (wanted is not None and r.object.id not in wanted):
            continue
        if chosen is not None and r.subject.id not in chosen:
            continue
        if history.iri(r.subject.id) and _is_state(history, r.subject.id):
            by_org[r.object.id].append(r)
    return by_org


def _is_state(history: History, entity_id: str) -> bool:
    return (history.iri(entity_id), RDF.type, CST.State) in history.graph


def membership_panels(
    history: History,
    start: int,
    end: int,
    *,
    orgs: Iterable[str] | None = None,
    states: Iterable[str] | None = None,
    possible: bool = False,
) -> list[Panel]:
    """One :class:`Panel` per organization with a state member in some role during
    ``start`` to ``end``, in ``orgs`` order when given (ids), else by first year and label;
    rows only of ``states`` (ids) when given.

    Examples
    --------
    >>> from cstograph import load
    >>> history = History(load())
    >>> [csto] = membership_panels(history, 2010, 2013, orgs=["cs:csto"])
    >>> csto.cells["cs:uzbekistan", 2011].role, csto.cells["cs:uzbekistan", 2013].role
    ('full member', 'suspended')
    >>> len(csto.members(2013))
    6
    """
    panels = []
    order = list(orgs) if orgs is not None else None
    for org_id, relations in _panel_relations(history, orgs, states).items():
        cells: dict[tuple[str, int], Cell] = {}
        shown: dict[tuple[str, int], list[tuple[Relation, Grade]]] = defaultdict(list)
        for r in relations:
            span = year_span(r)
            low, high = max(start, span.possible[0]), min(end, span.possible[1])
            for year in range(low, high + 1):
                found = span.grade(year)
                if found is None or (found is Grade.NOT_EXCLUDED and not possible):
                    continue
                shown[r.subject.id, year].append((r, found))
        subjects: dict[str, Entity] = {}
        for (state, year), entries in shown.items():
            entries.sort(key=lambda e: (e[1] is Grade.HELD, e[0].start, e[0].id))
            last, grade = entries[-1]
            subjects[state] = last.subject
            cells[state, year] = Cell(
                role=last.role or "member",
                grade=grade.value,
                roles=tuple(sorted({r.role or "member" for r, _ in entries})),
                member=any(r.role_iri in MEMBER_ROLES for r, _ in entries),
                relation=last.id,
                until=last.end,
            )
        if not cells:
            continue
        org = relations[0].object
        panels.append(
            Panel(
                org,
                organization_life(history, org_id),
                tuple(sorted(subjects.values(), key=lambda e: e.label)),
                cells,
            )
        )
    if order is not None:
        panels.sort(key=lambda p: order.index(p.org.id))
    else:
        panels.sort(key=lambda p: (p.life[0], p.org.label))
    return panels


def member_counts(panels: Iterable[Panel], years: Iterable[int]) -> dict[str, dict[int, int]]:
    """Members per organization id per year (``None``-free: 0 only where it existed)."""
    table: dict[str, dict[int, int]] = {}
    chosen = list(years)
    for panel in panels:
        table[panel.org.id] = {y: len(panel.members(y)) for y in chosen if panel.existed(y)}
    return table


def changes(panels: Iterable[Panel], start: int, end: int) -> list[Change]:
    """Every change of a state's shown role from one year to the next, ``start + 1`` to
    ``end``, by year, organization and state. A state that leaves is dated to the year its
    relation ended (a party until April 1999 left in 1999, though 2000 is the first year
    without it); a join or a change of role to the year it shows first.

    Examples
    --------
    >>> from cstograph import load
    >>> history = History(load())
    >>> cst = membership_panels(history, 1991, 2026, orgs=["cs:cst"])
    >>> sorted({(c.year, c.what) for c in changes(cst, 1991, 2026) if c.after is None})
    [(1999, 'leaves (was party/signatory)')]
    """
    found = []
    for panel in panels:
        for state in panel.states:
            for year in range(start + 1, end + 1):
                before = panel.cells.get((state.id, year - 1))
                after = panel.cells.get((state.id, year))
                old = before.role if before else None
                new = after.role if after else None
                if old == new:
                    continue
                when = year
                if after is None and before is not None and before.until is not None:
                    when = before.until.year if before.until.year < year else year
                if start < when <= end:
                    found.append(Change(when, panel.org, state, old, new))
    return sorted(found, key=lambda c: (c.year, c.org.label, c.state.label))


def summaries(
    found: Iterable[Change], name: Callable[[Entity], str] = lambda e: e.label
) -> list[tuple[int, str]]:
    """The changes grouped by year, organization and what changed, as ``(year, text)``:
    ``"CST: Azerbaijan, Georgia, Uzbekistan leave (was party/signatory)"``; organizations
    named by ``name``.

    Examples
    --------
    >>> from cstograph import load
    >>> history = History(load())
    >>> cst = membership_panels(history, 1998, 2000, orgs=["cs:cst"])
    >>> summaries(changes(cst, 1998, 2000))[0][1]
    'Collective Security Treaty: Azerbaijan, Georgia, Uzbekistan leave (was party/signatory)'
    """
    grouped: dict[tuple[int, str, str], list[str]] = {}
    for change in found:
        grouped.setdefault((change.year, name(change.org), change.what), []).append(
            change.state.label
        )
    lines = []
    for (year, org, what), states in sorted(grouped.items()):
        if len(states) > 1:
            for verb in ("joins", "leaves"):
                if what.startswith(verb):
                    what = verb[:-1] + what[len(verb) :]
        lines.append((year, f"{org}: {', '.join(states)} {what}"))
    return lines


def turning_points(found: Iterable[Change], most: int = 6) -> list[int]:
    """The ``most`` years with the most changes, in year order (ties: the earlier year).

    Examples
    --------
    >>> from cstograph import load
    >>> history = History(load())
    >>> panels = membership_panels(history, 1991, 2026, states=focus_states(history))
    >>> turning_points(changes(panels, 1991, 2026), 4)
    [1992, 2001, 2003, 2015]
    """
    per_year: dict[int, int] = defaultdict(int)
    for change in found:
        per_year[change.year] += 1
    ranked = sorted(per_year, key=lambda y: (-per_year[y], y))[:most]
    return sorted(ranked)


def lineage(history: History, org: str = "cs:csto") -> list[str]:
    """The ids an organization filter on ``org`` covers (it, what it was renamed from, their
    units: :func:`cstograph.analysis.snapshot.scope`), sorted; none when the graph lacks it.

    Examples
    --------
    >>> from cstograph import load
    >>> lineage(History(load()))[:2]
    ['cs:cst', 'cs:csto']
    """
    from cstograph.analysis.snapshot import scope

    try:
        return sorted(scope(history, [org]))
    except InputError:  # a graph without the organization
        return []


def focus_states(history: History, org: str = "cs:csto") -> list[str]:
    """The states that held a role in ``org`` or the organizations it was renamed from (the
    CSTO and the Collective Security Treaty), by id: the states the report centres on.

    Examples
    --------
    >>> from cstograph import load
    >>> len(focus_states(History(load())))
    9
    """
    within = set(lineage(history, org))
    if not within:
        return []
    kinds = _membership_kinds()
    return sorted(
        {
            r.subject.id
            for r in history.all_relations()
            if r.kind in kinds and r.object.id in within and _is_state(history, r.subject.id)
        }
    )
