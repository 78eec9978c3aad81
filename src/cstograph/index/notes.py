"""What an answer needs said beside it: how much of an organization the graph records, what
came before and after it, and why an answer is empty.

Coverage statements (``cst:coverage``, graph/coverage.ttl) say whether an organization's
membership is recorded whole or only in part; lineage events (an ``org:ChangeEvent`` with an
``org:originalOrganization`` and an ``org:resultingOrganization``, graph/lineage.ttl) link
predecessors and successors. :func:`answer_notes` turns both, and the dates of an
organization's first and last relations, into short sentences for an answer about an
organization in a window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rdflib import Literal, URIRef
from rdflib.term import Node

from cstograph.index.history import History
from cstograph.model.records import Entity, Relation
from cstograph.model.terms import CST, ORG, PROV, RDFS, SCHEMA, short_name
from cstograph.temporal import FOREVER, Precision, Window

__all__ = [
    "Coverage",
    "Lineage",
    "answer_notes",
    "coverage_notes",
    "coverage_of",
    "coverages",
    "lineage_of",
    "recorded_whole",
]


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of an organization's membership the graph records."""

    organization: Entity
    whole: bool
    roles: tuple[str, ...]
    start: date | None
    until: date | None
    comment: str
    #: the ids of the sources the judgement rests on
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "organization": {"id": self.organization.id, "label": self.organization.label},
            "recorded_whole": self.whole,
            "roles": list(self.roles),
            "from": self.start.isoformat() if self.start else None,
            "until": self.until.isoformat() if self.until else None,
            "comment": self.comment,
        }


@dataclass(frozen=True, slots=True)
class Lineage:
    """One step of an organization's lineage: ``before`` was followed by ``after`` on ``day``."""

    before: Entity
    after: Entity
    day: date
    precision: str
    event: str

    @property
    def when(self) -> str:
        """The day as precisely as it is known: ``in 2002-05``, ``on 2015-01-01``."""
        coarse = {"year": self.day.strftime("%Y"), "month": self.day.strftime("%Y-%m")}
        if self.precision in coarse:
            return f"in {coarse[self.precision]}"
        return f"on {self.day.isoformat()}"


def _date(value: object) -> date | None:
    if isinstance(value, Literal) and isinstance(value.toPython(), date):
        return value.toPython()  # type: ignore[no-any-return]
    return None


def _coverage(history: History, org: URIRef, statement: Node) -> Coverage:
    """The coverage statement ``statement`` of ``org``, read once for every reader."""
    g = history.graph
    whole = g.value(statement, CST.recordedWhole)
    roles = sorted(
        history.label(r) for r in g.objects(statement, CST.coveredRoles) if isinstance(r, URIRef)
    )
    comment = g.value(statement, RDFS.comment)
    cited = sorted(
        short_name(s) for s in g.objects(statement, PROV.wasDerivedFrom) if isinstance(s, URIRef)
    )
    return Coverage(
        history.entity(org),
        bool(whole.toPython()) if isinstance(whole, Literal) else False,
        tuple(roles),
        _date(g.value(statement, CST.coveredFrom)),
        _date(g.value(statement, CST.coveredUntil)),
        str(comment) if comment is not None else "",
        tuple(cited),
    )


def coverages(history: History) -> list[Coverage]:
    """Every coverage statement of the graph, by organization id."""
    found = [
        _coverage(history, org, statement)
        for org, statement in history.graph.subject_objects(CST.coverage)
        if isinstance(org, URIRef)
    ]
    return sorted(found, key=lambda c: c.organization.id)


def coverage_of(history: History, org: str) -> Coverage | None:
    """The coverage statement of an organization (by any name), or None.

    Examples
    --------
    >>> from cstograph import load
    >>> found = coverage_of(History(load()), "NATO")
    >>> found is not None and found.organization.id
    'cs:nato'
    """
    node = history.iri(history.resolve(org).id)
    statement = history.graph.value(node, CST.coverage)
    return None if statement is None else _coverage(history, node, statement)


def recorded_whole(history: History, org_id: str) -> bool | None:
    """Whether an organization (by id) is recorded whole; ``None``: no coverage statement."""
    node = history.iri(org_id)
    statement = history.graph.value(node, CST.coverage)
    return None if statement is None else _coverage(history, node, statement).whole


def lineage_of(history: History, org: str) -> list[Lineage]:
    """The lineage steps an organization takes part in, oldest first."""
    g = history.graph
    node = history.iri(history.resolve(org).id)
    events = set(g.subjects(ORG.originalOrganization, node))
    events |= set(g.subjects(ORG.resultingOrganization, node))
    steps = []
    for event in events:
        before = g.value(event, ORG.originalOrganization)
        after = g.value(event, ORG.resultingOrganization)
        day = _date(g.value(event, SCHEMA.startDate))
        unit = g.value(event, CST.startPrecision)
        precision = (
            Precision.BY_UNIT.get(unit, Precision.DAY) if isinstance(unit, URIRef) else "day"
        )
        if isinstance(before, URIRef) and isinstance(after, URIRef) and day is not None:
            steps.append(
                Lineage(
                    history.entity(before),
                    history.entity(after),
                    day,
                    precision,
                    short_name(event),
                )
            )
    return sorted(steps, key=lambda s: (s.day, s.event))


def answer_notes(
    history: History,
    org: str,
    question: Window | None,
    answer: list[Relation],
    *,
    wanted: str = "organization",
) -> list[str]:
    """Sentences to print beside an answer about ``org`` in ``question``.

    An entity of the wrong kind (a state asked for its members) says what it is; an empty
    answer says whether the organization existed yet (its first recorded relation, and what
    came before it) or had ended; a partly recorded organization says what is recorded.

    Examples
    --------
    >>> from cstograph import load
    >>> from cstograph.temporal import window
    >>> history = History(load())
    >>> answer_notes(history, "Russia", window(year=2010), [])[0]
    'Russia is a state, not an organization or a joint force: ask for its relations instead.'
    """
    entity = history.resolve(org)
    node = history.iri(entity.id)
    groups = history.names.groups(node)
    notes: list[str] = []
    if groups and not groups & {"organization", "force"}:
        kind = sorted(groups)[0]
        article = "an" if kind[0] in "aeiou" else "a"
        notes.append(
            f"{entity.label} is {article} {kind}, not an organization or a joint force: "
            "ask for its relations instead."
        )
        return notes
    own = [
        r for r in history.all_relations() if r.object.id == entity.id and r.preferred is not False
    ]
    if not answer and question is not None:
        if not own:
            notes.append(f"The graph records no members of {entity.label}.")
        else:
            first = min(r.start for r in own)
            last_end = max((r.end or FOREVER) for r in own)
            steps = lineage_of(history, entity.id)
            if question.stop <= first:
                text = (
                    f"{entity.label}: the first membership recorded begins on {first.isoformat()}."
                )
                earlier = [s for s in steps if s.after.id == entity.id]
                if earlier:
                    before = earlier[-1]
                    text += (
                        f" It followed the {before.before.label} {before.when}:"
                        " ask for that one's members."
                    )
                notes.append(text)
            elif last_end <= question.first:
                text = (
                    f"{entity.label}: the last membership recorded ends on {last_end.isoformat()}."
                )
                later = [s for s in steps if s.before.id == entity.id]
                if later:
                    text += (
                        f" The {later[0].after.label} followed it {later[0].when}:"
                        " ask for that one's members."
                    )
                notes.append(text)
            else:
                notes.append(f"Nothing recorded for {entity.label} in that window.")
    coverage = coverage_of(history, entity.id)
    if coverage is not None and not coverage.whole:
        notes.append(f"Recorded in part: {coverage.comment}")
    return notes


def coverage_notes(history: History, entity_ids: Iterable[str]) -> list[str]:
    """One sentence per organization among ``entity_ids`` that the graph records only in
    part, saying what is recorded (for answers and figures that count members).

    Examples
    --------
    >>> from cstograph import load
    >>> coverage_notes(History(load()), ["cs:csto", "cs:nato"])[0][:44]
    'North Atlantic Treaty Organization is record'
    """
    notes = []
    for entity_id in sorted(set(entity_ids)):
        node = history.iri(entity_id)
        if history.graph.value(node, CST.coverage) is None:
            continue
        coverage = coverage_of(history, entity_id)
        if coverage is not None and not coverage.whole:
            notes.append(f"{coverage.organization.label} is recorded in part: {coverage.comment}")
    return sorted(notes)
