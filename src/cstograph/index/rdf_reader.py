"""Relation and event records read from an rdflib graph, by the rules of the kinds table.

:class:`GraphReader` is the rdflib reader of the interval index: it walks the graph's
triples (no SPARQL) and makes the records of :mod:`cstograph.model.records`. The streaming
reader (:mod:`cstograph.index.stream`) makes the same records straight from parser triples;
the two are kept equal by ``tests/test_fastload.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from cstograph.errors import InputError
from cstograph.model.kinds import KINDS, Field
from cstograph.model.records import Entity, Event, Figure, Relation, Source
from cstograph.model.terms import (
    CST,
    DCTERMS,
    EVENT_CLASSES,
    ORG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SOURCE_KINDS,
    short_name,
)
from cstograph.temporal import Precision, bound_range, occurrence_end

__all__ = ["GraphReader"]


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


def source_record(
    graph: Graph,
    source: URIRef,
    locator: str | None = None,
    note: str | None = None,
    *,
    plain: bool = False,
) -> Source:
    """A source document as records cite it: title, URL, date and kind from ``graph``, the
    place in it (``locator``) and the citation's ``note``. ``plain``: cited without a
    derivation (no title falls back to the id)."""
    title = graph.value(source, DCTERMS.title)
    url = graph.value(source, SCHEMA.url)
    issued = graph.value(source, DCTERMS.issued)
    kind = graph.value(source, CST.sourceKind)
    return Source(
        short_name(source),
        str(title) if title is not None else ("" if plain else short_name(source)),
        locator,
        note,
        str(url) if url is not None else None,
        str(issued) if issued is not None else None,
        SOURCE_KINDS.get(kind) if isinstance(kind, URIRef) else None,
    )


class GraphReader:
    """Records of the relation and event nodes of ``graph`` (labels cached)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._labels: dict[URIRef, str] = {}

    def label(self, node: URIRef) -> str:
        """The preferred label of a node (``skos:prefLabel``, else ``rdfs:label``)."""
        if node not in self._labels:
            value = self.graph.value(node, SKOS.prefLabel) or self.graph.value(node, RDFS.label)
            self._labels[node] = str(value) if value is not None else short_name(node)
        return self._labels[node]

    def entity(self, node: URIRef) -> Entity:
        return Entity(short_name(node), self.label(node))

    def sources(self, node: URIRef) -> tuple[Source, ...]:
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
                source_record(
                    g,
                    source,
                    str(locator) if locator is not None else None,
                    str(note) if note is not None else None,
                )
            )
        for source in g.objects(node, PROV.wasDerivedFrom):
            if isinstance(source, URIRef) and source not in cited:
                found.append(source_record(g, source, plain=True))
        return tuple(sorted(found, key=lambda s: (s.id, _natural(s.locator or ""))))

    def conflicts(self, node: URIRef) -> tuple[str, ...]:
        g = self.graph
        linked = set(g.objects(node, CST.conflictsWith)) | set(g.subjects(CST.conflictsWith, node))
        return tuple(sorted(short_name(c) for c in linked))

    def figure(self, node: Any) -> Figure | None:
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

    def bounds(self, node: URIRef) -> dict[str, Any]:
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

    def relations(self) -> Iterator[Relation]:
        """Every relation node of the graph as a record (each kind of :data:`KINDS`)."""
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
                    extra["personnel"] = self.figure(g.value(node, CST.personnel))
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
                    sources=self.sources(node),
                    conflicts_with=self.conflicts(node),
                    preferred=_boolean(g.value(node, CST.preferred)),
                    _role_iri=role if isinstance(role, URIRef) else None,
                    **self.bounds(node),
                    **extra,
                )

    def events_of(self, node: URIRef, *, claims: str) -> Iterator[Event]:
        """The events that name ``node`` (as participant, organizer, place, ...)."""
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
                if claims == "all" or record.preferred is not False:
                    yield record

    def event(self, node: URIRef) -> Event:
        """One event node as an :class:`Event` record."""
        g = self.graph
        bounds = self.bounds(node)
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
        figures = [f for f in (self.figure(n) for n in g.objects(node, CST.figure)) if f]
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
            end_qualifier=bounds["end_qualifier"],
            participants=tuple(sorted((self.entity(p) for p in participants), key=lambda e: e.id)),
            figures=tuple(sorted(figures, key=lambda f: (f.description or "", f.value))),
            sources=self.sources(node),
            preferred=_boolean(g.value(node, CST.preferred)),
            conflicts_with=self.conflicts(node),
            _start_range=bounds["_start_range"],
            _end_range=bounds["_end_range"]
            if bounds["end"] is not None
            else occurrence_end(bounds["_start_range"]),
        )
