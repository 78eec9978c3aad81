"""Temporal questions over a loaded graph, answered from one interval index.

:class:`History` reads every relation node once (a pass over the graph's triples, no SPARQL)
into :class:`Relation` records, then answers ``members``, ``relations``, ``timeline`` and
``diff`` by filtering those records with the rules of :mod:`cstograph.temporal`.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from cstograph.errors import InputError, UnknownEntityError
from cstograph.model.kinds import KINDS, Field
from cstograph.model.kinds import kind as known_kind
from cstograph.model.terms import (
    CS,
    CST,
    DCTERMS,
    EVENT_CLASSES,
    ORG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    WD,
    short_name,
)
from cstograph.temporal import Precision, Window, bound_range, in_effect, window

__all__ = [
    "MEMBER_ROLES",
    "Change",
    "Entity",
    "Event",
    "Figure",
    "History",
    "Relation",
    "Source",
]

#: Which claims temporal answers show: by default the preferred ones (and every claim in no
#: conflict); "all" also shows the claims marked ``cst:preferred false``.
CLAIMS: tuple[str, ...] = ("preferred", "all")

#: The roles that count as being a member when ``members`` is asked without ``role``.
MEMBER_ROLES: frozenset[URIRef] = frozenset(
    {CST.FullMember, CST.Signatory, CST.ParticipationFrozen}
)


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity as records show it: its short id (``cs:russia``) and label."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from: the source document and the place in it."""

    id: str
    title: str
    locator: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """A reported quantity and how the source qualifies it."""

    value: int | float
    unit: str | None
    approximation: str | None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    """One time-bounded relation, as every temporal answer reports it.

    ``subject`` and ``object`` depend on the kind: member-of and not-member-of, the state
    and the organization; contributes-to-force, the state and the force; hosts-base, the
    host state and the base (or the stationed unit); holds-office, the person and the post.
    ``certain`` says whether the relation surely held in the window asked about.
    """

    id: str
    label: str
    kind: str
    subject: Entity
    object: Entity
    role: str | None
    start: date
    end: date | None
    start_precision: str
    end_precision: str | None
    start_qualifier: str | None
    end_qualifier: str | None
    certain: bool
    sources: tuple[Source, ...]
    operator: Entity | None = None
    unit: str | None = None
    personnel: Figure | None = None
    organization: Entity | None = None
    conflicts_with: tuple[str, ...] = ()
    preferred: bool | None = None
    _start_range: tuple[date, date] = field(default=(date.min, date.min), repr=False, compare=False)
    _end_range: tuple[date, date] = field(default=(date.max, date.max), repr=False, compare=False)
    _role_iri: URIRef | None = field(default=None, repr=False, compare=False)

    @property
    def start_range(self) -> tuple[date, date]:
        """Earliest and latest day the true start can be (see :func:`temporal.bound_range`)."""
        return self._start_range

    @property
    def end_range(self) -> tuple[date, date]:
        """Earliest and latest day the true (exclusive) end can be; ``date.max`` when open."""
        return self._end_range

    @property
    def role_iri(self) -> URIRef | None:
        """The role as an IRI (``cst:FullMember``), when the relation has one."""
        return self._role_iri

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape documented in the README (kind-specific fields only where
        they apply)."""
        data = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat() if self.end else None
        for key in ("operator", "unit", "personnel", "organization"):
            if data[key] is None:
                del data[key]
        data["conflicts_with"] = list(self.conflicts_with)
        return data


@dataclass(frozen=True, slots=True)
class Event:
    """A dated one-off event (treaty signing, operation, statement, founding ...)."""

    id: str
    label: str
    kind: str
    type: str
    start: date
    end: date | None
    start_precision: str
    end_precision: str | None
    start_qualifier: str | None
    participants: tuple[Entity, ...]
    figures: tuple[Figure, ...]
    sources: tuple[Source, ...]
    preferred: bool | None = None
    conflicts_with: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat() if self.end else None
        return data


@dataclass(frozen=True, slots=True)
class Change:
    """A difference between two times: a relation that began, ended or changed role."""

    change: str  # "joined", "left" or "role changed"
    kind: str
    subject: Entity
    object: Entity
    role_before: str | None
    role_after: str | None
    certain: bool
    relations: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["relations"] = list(self.relations)
        return data


def _date(value: Any) -> date | None:
    if isinstance(value, Literal):
        python = value.toPython()
        if isinstance(python, date):
            return python
    return None


def _natural(text: str) -> list[Any]:
    """A sort key that orders 'paragraph 4' before 'paragraph 10'."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _boolean(value: Any) -> bool | None:
    if isinstance(value, Literal) and isinstance(value.toPython(), bool):
        return bool(value.toPython())
    return None


def _iri_or_none(value: Any) -> Any:
    """The value if it is an IRI, else None (typed ``Any`` to serve as a dict key)."""
    return value if isinstance(value, URIRef) else None


def _first(graph: Graph, node: URIRef, predicates: Iterable[URIRef]) -> Any:
    """The value of the first of ``predicates`` that ``node`` has, else None."""
    for predicate in predicates:
        value = graph.value(node, predicate)
        if value is not None:
            return value
    return None


def _number(value: Any) -> int | float:
    python = value.toPython() if isinstance(value, Literal) else value
    if isinstance(python, Decimal):
        return int(python) if python == python.to_integral_value() else float(python)
    return python if isinstance(python, int | float) else float(str(python))


class History:
    """Temporal questions over a graph: who was in what, when, and on what evidence.

    Parameters
    ----------
    graph
        A graph from :func:`cstograph.load` (ontology plus data).
    claims
        ``"preferred"`` (default): where sources conflict, only the claim marked
        ``cst:preferred true`` (claims in no conflict always count); ``"all"``: every claim.
    relations
        The relation records, when already read by other means (:mod:`cstograph.index.stream`
        reads them straight from the parser's triples); ``None`` (default): read them from
        ``graph``.

    Examples
    --------
    >>> from cstograph import load
    >>> history = History(load())
    >>> sorted(m.subject.label for m in history.members("CSTO", year=2007))[:3]
    ['Armenia', 'Belarus', 'Kazakhstan']
    >>> history.resolve("Kyrgyz Republic").id
    'cs:kyrgyzstan'
    """

    def __init__(
        self,
        graph: Graph,
        *,
        claims: str = "preferred",
        relations: Iterable[Relation] | None = None,
    ) -> None:
        if claims not in CLAIMS:
            raise InputError(f"unknown claims setting {claims!r}; use one of {', '.join(CLAIMS)}")
        self.graph = graph
        self.claims = claims
        self._labels: dict[URIRef, str] = {}
        read = self._read_relations() if relations is None else relations
        self._relations: list[Relation] = sorted(
            (r for r in read if claims == "all" or r.preferred is not False),
            key=lambda r: (r.start, r.id),
        )
        self._by_entity: dict[str, list[Relation]] = defaultdict(list)
        for relation in self._relations:
            for entity in (relation.subject, relation.object, relation.operator):
                if entity is not None:
                    self._by_entity[entity.id].append(relation)
        self._names: dict[str, set[URIRef]] | None = None

    # reading the graph ---------------------------------------------------------------------

    def label(self, node: URIRef) -> str:
        """The preferred label of a node (``skos:prefLabel``, else ``rdfs:label``)."""
        if node not in self._labels:
            value = self.graph.value(node, SKOS.prefLabel) or self.graph.value(node, RDFS.label)
            self._labels[node] = str(value) if value is not None else short_name(node)
        return self._labels[node]

    def entity(self, node: URIRef) -> Entity:
        return Entity(short_name(node), self.label(node))

    def _sources(self, node: URIRef) -> tuple[Source, ...]:
        g = self.graph
        found = []
        cited = set()
        for derivation in g.objects(node, PROV.qualifiedDerivation):
            source = g.value(derivation, PROV.entity)
            if not isinstance(source, URIRef):
                continue
            cited.add(source)
            locator = g.value(derivation, CST.locator)
            note = g.value(derivation, RDFS.comment)
            found.append(
                Source(
                    short_name(source),
                    str(g.value(source, DCTERMS.title) or short_name(source)),
                    str(locator) if locator is not None else None,
                    str(note) if note is not None else None,
                )
            )
        for source in g.objects(node, PROV.wasDerivedFrom):
            if isinstance(source, URIRef) and source not in cited:
                found.append(Source(short_name(source), str(g.value(source, DCTERMS.title) or "")))
        return tuple(sorted(found, key=lambda s: (s.id, _natural(s.locator or ""))))

    def _conflicts(self, node: URIRef) -> tuple[str, ...]:
        g = self.graph
        linked = set(g.objects(node, CST.conflictsWith)) | set(g.subjects(CST.conflictsWith, node))
        return tuple(sorted(short_name(c) for c in linked))

    def _figure(self, node: Any) -> Figure | None:
        g = self.graph
        value = g.value(node, SCHEMA.value)
        if value is None:
            return None
        unit = g.value(node, SCHEMA.unitText)
        approximation = g.value(node, CST.approximation)
        description = g.value(node, SCHEMA.description)
        return Figure(
            _number(value),
            str(unit) if unit is not None else None,
            self.label(approximation) if isinstance(approximation, URIRef) else None,
            str(description) if description is not None else None,
        )

    def _bounds(self, node: URIRef) -> dict[str, Any]:
        g = self.graph
        start = _date(g.value(node, SCHEMA.startDate))
        end = _date(g.value(node, SCHEMA.endDate))
        if start is None:
            raise InputError(f"{short_name(node)} has no schema:startDate of type xsd:date")
        units = Precision.BY_UNIT
        sp = units.get(_iri_or_none(g.value(node, CST.startPrecision)), Precision.DAY)
        ep = (
            units.get(_iri_or_none(g.value(node, CST.endPrecision)), Precision.DAY) if end else None
        )
        sq = g.value(node, CST.startQualifier)
        eq = g.value(node, CST.endQualifier)
        return {
            "start": start,
            "end": end,
            "start_precision": sp,
            "end_precision": ep,
            "start_qualifier": self.label(sq) if isinstance(sq, URIRef) else None,
            "end_qualifier": self.label(eq) if isinstance(eq, URIRef) and end else None,
            "_start_range": bound_range(start, sp, _iri_or_none(sq), is_end=False),
            "_end_range": bound_range(end, ep, _iri_or_none(eq), is_end=True),
        }

    def _read_relations(self) -> Iterator[Relation]:
        g = self.graph
        for kind in KINDS:
            for node in set(g.subjects(RDF.type, kind.cls)):
                if not isinstance(node, URIRef):
                    continue
                subject = _first(g, node, kind.subject_predicates())
                obj = _first(g, node, kind.object_predicates())
                extra: dict[str, Any] = {}
                if Field.UNIT in kind.fields:
                    unit = g.value(node, CST.unitDescription)
                    named = g.value(node, CST.contributedUnit)
                    extra["unit"] = (
                        str(unit)
                        if unit is not None
                        else self.label(named)
                        if isinstance(named, URIRef)
                        else None
                    )
                if Field.PERSONNEL in kind.fields:
                    extra["personnel"] = self._figure(g.value(node, CST.personnel))
                if Field.OPERATOR in kind.fields:
                    operator = g.value(node, CST.operator)
                    extra["operator"] = (
                        self.entity(operator) if isinstance(operator, URIRef) else None
                    )
                if Field.ORGANIZATION in kind.fields:
                    org = g.value(obj, ORG.postIn) if obj is not None else None
                    extra["organization"] = self.entity(org) if isinstance(org, URIRef) else None
                if not isinstance(subject, URIRef) or not isinstance(obj, URIRef):
                    raise InputError(
                        f"{short_name(node)} ({kind.name}) lacks its subject or object"
                    )
                role = g.value(node, ORG.role)
                yield Relation(
                    id=short_name(node),
                    label=self.label(node),
                    kind=kind.name,
                    subject=self.entity(subject),
                    object=self.entity(obj),
                    role=self.label(role) if isinstance(role, URIRef) else None,
                    certain=True,
                    sources=self._sources(node),
                    conflicts_with=self._conflicts(node),
                    preferred=_boolean(g.value(node, CST.preferred)),
                    _role_iri=role if isinstance(role, URIRef) else None,
                    **self._bounds(node),
                    **extra,
                )

    # names ---------------------------------------------------------------------------------

    def _name_index(self) -> dict[str, set[URIRef]]:
        if self._names is None:
            g = self.graph
            dated: set[URIRef] = set()
            for cls in (*(k.cls for k in KINDS), *EVENT_CLASSES):
                dated |= {n for n in g.subjects(RDF.type, cls) if isinstance(n, URIRef)}
            names: dict[str, set[URIRef]] = defaultdict(set)
            for node in set(g.subjects(RDF.type, None)):
                if not isinstance(node, URIRef) or node in dated:
                    continue
                if not str(node).startswith(str(CS)) and (node, SKOS.prefLabel, None) not in g:
                    continue
                keys = {str(node), short_name(node), str(node).rsplit("/", 1)[-1]}
                for prop in (SKOS.prefLabel, SKOS.altLabel, RDFS.label):
                    keys |= {str(v) for v in g.objects(node, prop)}
                for match in g.objects(node, SKOS.exactMatch):
                    if str(match).startswith(str(WD)):
                        keys.add(str(match)[len(str(WD)) :])
                for key in keys:
                    names[key.casefold()].add(node)
            self._names = dict(names)
        return self._names

    def resolve(self, name: str) -> Entity:
        """Find an entity by slug, label (preferred or alternative, any case), Wikidata QID,
        prefixed name or full IRI.

        Raises
        ------
        UnknownEntityError
            No entity or several have that name; the message lists the closest names.

        Examples
        --------
        >>> from cstograph import load
        >>> history = History(load())
        >>> history.resolve("collective security treaty organization").id
        'cs:csto'
        >>> history.resolve("Q159").label
        'Russia'
        """
        names = self._name_index()
        found = names.get(name.strip().casefold(), set())
        if len(found) == 1:
            return self.entity(next(iter(found)))
        if found:
            options = ", ".join(sorted(short_name(n) for n in found))
            raise UnknownEntityError(f"{name!r} is ambiguous: it names {options}")
        close = difflib.get_close_matches(name.casefold(), list(names), n=4, cutoff=0.6)
        labels = sorted({self.label(n) for key in close for n in names[key]})
        hint = f"; did you mean {', '.join(labels)}?" if labels else ""
        raise UnknownEntityError(f"no entity is called {name!r}{hint}")

    def _role(self, role: str) -> set[URIRef] | None:
        """Role IRIs for a role name; ``None`` for every role."""
        if role.casefold() == "all":
            return None
        wanted = role.casefold().replace("-", " ").replace("_", " ")
        known = {r._role_iri for r in self._relations if r._role_iri is not None}
        known |= set(MEMBER_ROLES)
        for iri in known:
            names = {self.label(iri).casefold(), str(iri).rsplit("#", 1)[-1].casefold()}
            names |= {n.replace("/", " ") for n in names}
            if wanted in names or wanted.replace(" ", "") in {n.replace(" ", "") for n in names}:
                return {iri}
            if any(wanted in part.split("/") for part in names):
                return {iri}
        options = ", ".join(sorted({self.label(i) for i in known}))
        raise InputError(f"unknown role {role!r}; roles: {options}, all")

    # questions -----------------------------------------------------------------------------

    def all_relations(self) -> list[Relation]:
        """Every relation of the index, sorted by start, each marked certain."""
        return list(self._relations)

    def _select(self, relations: Iterable[Relation], question: Window | None) -> list[Relation]:
        chosen = []
        for relation in relations:
            possible, certain = in_effect(relation._start_range, relation._end_range, question)
            if possible:
                chosen.append(relation if certain else replace(relation, certain=False))
        return chosen

    def relations(
        self,
        kind: str | None = None,
        subject: str | None = None,
        object: str | None = None,
        *,
        year: int | str | None = None,
        on: date | str | None = None,
        between: tuple[date | str | None, date | str | None] | None = None,
    ) -> list[Relation]:
        """Relations of a kind, subject and object, possibly in effect in a time window.

        Examples
        --------
        >>> from cstograph import load
        >>> history = History(load())
        >>> bases = history.relations("hosts-base", subject="Kyrgyzstan", on="2010-01-01")
        >>> sorted({r.operator.label for r in bases if r.object.label.endswith("air base")})
        ['Russia']
        >>> [r.operator.label for r in bases if "Manas" in r.object.label]
        ['United States']
        """
        if kind is not None:
            known_kind(kind)  # unknown names fail here
        question = window(year=year, on=on, between=between)
        pool: Iterable[Relation] = self._relations
        subject_id = self.resolve(subject).id if subject else None
        object_id = self.resolve(object).id if object else None
        if subject_id or object_id:  # the entity index holds every relation of an entity
            pool = self._by_entity.get(subject_id or object_id or "", [])
        found = [
            r
            for r in pool
            if (kind is None or r.kind == kind)
            and (subject_id is None or r.subject.id == subject_id)
            and (object_id is None or r.object.id == object_id)
        ]
        return self._select(found, question)

    def members(
        self,
        org: str,
        *,
        year: int | str | None = None,
        on: date | str | None = None,
        between: tuple[date | str | None, date | str | None] | None = None,
        role: str | None = None,
    ) -> list[Relation]:
        """The members of an organization (or contributors to a force) in a window.

        Without ``role``, the roles that count as membership (full member, party/signatory,
        participation frozen); ``role="observer"`` or any role name for that role only;
        ``role="all"`` for every role.

        Examples
        --------
        >>> from cstograph import load
        >>> history = History(load())
        >>> len(history.members("CSTO", on="2009-06-01")) >= 6
        True
        """
        roles = MEMBER_ROLES if role is None else self._role(role)
        target = self.resolve(org)
        shared = {k.name: k.role == "required" for k in KINDS if k.shared}
        found = [
            r
            for r in self.relations(object=target.id, year=year, on=on, between=between)
            if r.kind in shared and (roles is None or not shared[r.kind] or r._role_iri in roles)
        ]
        return sorted(found, key=lambda r: (r.subject.label, r.start))

    def timeline(self, entity: str) -> list[Relation | Event]:
        """Every relation and event of an entity, in date order, with sources.

        Examples
        --------
        >>> from cstograph import load
        >>> history = History(load())
        >>> [(e.start.isoformat(), e.kind) for e in history.timeline("Kant air base")][:2]
        [('2003-09-01', 'event'), ('2003-09-22', 'hosts-base')]
        """
        target = self.resolve(entity)
        node = self.iri(target.id)
        items: list[Relation | Event] = list(self._by_entity.get(target.id, []))
        items.extend(self._events_of(node))
        return sorted(items, key=lambda x: (x.start, 0 if isinstance(x, Event) else 1, x.id))

    def iri(self, short: str) -> URIRef:
        """The IRI of an entity id as records give it (``cs:russia``)."""
        return CS[short[3:]] if short.startswith("cs:") else URIRef(short)

    def _events_of(self, node: URIRef) -> Iterator[Event]:
        g = self.graph
        seen = set()
        for cls in EVENT_CLASSES:
            for event in g.subjects(RDF.type, cls):
                if not isinstance(event, URIRef) or event in seen:
                    continue
                linked = {o for _, o in g.predicate_objects(event) if isinstance(o, URIRef)}
                if node not in linked:
                    continue
                seen.add(event)
                record = self.event(event)
                if self.claims == "all" or record.preferred is not False:
                    yield record

    def event(self, node: URIRef) -> Event:
        """One event node as an :class:`Event` record."""
        g = self.graph
        bounds = self._bounds(node)
        types = [
            t for t in g.objects(node, RDF.type) if isinstance(t, URIRef) and t in EVENT_CLASSES
        ]
        participants = {
            o
            for p in (SCHEMA.participant, SCHEMA.organizer, CST.speaker, SCHEMA.location)
            for o in g.objects(node, p)
            if isinstance(o, URIRef)
        }
        participants |= {
            o
            for p in (ORG.originalOrganization, ORG.resultingOrganization)
            for o in g.objects(node, p)
            if isinstance(o, URIRef)
        }
        figures = [f for f in (self._figure(n) for n in g.objects(node, CST.figure)) if f]
        return Event(
            id=short_name(node),
            label=self.label(node),
            kind="event",
            type=self.label(types[0]) if types else "event",
            start=bounds["start"],
            end=bounds["end"],
            start_precision=bounds["start_precision"],
            end_precision=bounds["end_precision"],
            start_qualifier=bounds["start_qualifier"],
            participants=tuple(sorted((self.entity(p) for p in participants), key=lambda e: e.id)),
            figures=tuple(sorted(figures, key=lambda f: (f.description or "", f.value))),
            sources=self._sources(node),
            preferred=_boolean(g.value(node, CST.preferred)),
            conflicts_with=self._conflicts(node),
        )

    def diff(
        self,
        t1: str | int | date,
        t2: str | int | date,
        *,
        org: str | None = None,
        kind: str | None = None,
    ) -> list[Change]:
        """What changed between two times: relations that joined, left or changed role.

        A year (``2005``) compares "in effect at any time during the year"; a date compares
        that day. Relations are matched by kind, subject and object.

        Examples
        --------
        >>> from cstograph import load
        >>> history = History(load())
        >>> changes = history.diff(2005, 2013, org="CSTO")
        >>> sorted({c.change for c in changes}) <= ["joined", "left", "role changed"]
        True
        """

        def question(t: str | int | date) -> Window | None:
            if isinstance(t, date):
                return window(on=t)
            text = str(t)
            return window(year=text) if len(text) == 4 else window(on=text)

        org_id = self.resolve(org).id if org else None

        def state(t: str | int | date) -> dict[tuple[str, str, str], list[Relation]]:
            found = defaultdict(list)
            for r in self.relations(kind, object=org_id):
                possible, certain = in_effect(r._start_range, r._end_range, question(t))
                if possible:
                    found[(r.kind, r.subject.id, r.object.id)].append(
                        r if certain else replace(r, certain=False)
                    )
            return found

        before, after = state(t1), state(t2)
        changes = []
        for key in sorted(set(before) | set(after)):
            old, new = before.get(key, []), after.get(key, [])
            old_roles = sorted({r.role or "" for r in old})
            new_roles = sorted({r.role or "" for r in new})
            if old and new and old_roles == new_roles:
                continue
            sample = (new or old)[0]
            change = "joined" if not old else "left" if not new else "role changed"
            changes.append(
                Change(
                    change=change,
                    kind=key[0],
                    subject=sample.subject,
                    object=sample.object,
                    role_before="; ".join(old_roles) or None if old else None,
                    role_after="; ".join(new_roles) or None if new else None,
                    certain=all(r.certain for r in old + new),
                    relations=tuple(sorted({r.id for r in old + new})),
                )
            )
        return sorted(changes, key=lambda c: (c.object.label, c.change, c.subject.label))
