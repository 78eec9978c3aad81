"""What is in a graph: triples, entities by class, relations by kind, events, time span, sources."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Literal

from cstograph.model.kinds import KINDS
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
    SOURCE_KINDS,
    short_name,
)

__all__ = ["NO_KIND", "SourceCount", "Summary", "summarize"]

#: How ``sources_by_kind`` counts a source that gives no ``cst:sourceKind`` (or an unknown one).
NO_KIND = "no kind given"


@dataclass(frozen=True)
class SourceCount:
    """A source document, its kind and how many relation and event nodes cite it."""

    id: str
    title: str
    cited_by: int
    kind: str = NO_KIND


@dataclass(frozen=True)
class Summary:
    """The counts ``cstograph info`` prints."""

    triples: int
    entities: dict[str, int]
    relations: dict[str, int]
    events: dict[str, int]
    by_organization: dict[str, int]
    first_date: str | None
    last_date: str | None
    sources: list[SourceCount]
    #: How many sources are of each kind (``official``, ``agency or newspaper``, ...), every
    #: kind listed even at zero; sources that give no kind count as ``no kind given``.
    sources_by_kind: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _label(graph: Graph, node: URIRef) -> str:
    label = graph.value(node, RDFS.label)
    return str(label) if label is not None else short_name(node)


def _kind(graph: Graph, source: URIRef) -> str:
    kind = graph.value(source, CST.sourceKind)
    return SOURCE_KINDS.get(kind, NO_KIND) if isinstance(kind, URIRef) else NO_KIND


def _dates(graph: Graph, node: URIRef) -> list[date]:
    found = []
    for prop in (SCHEMA.startDate, SCHEMA.endDate):
        value = graph.value(node, prop)
        if isinstance(value, Literal) and isinstance(value.toPython(), date):
            found.append(value.toPython())
    return found


def summarize(graph: Graph) -> Summary:
    """Count what a loaded graph holds.

    Examples
    --------
    >>> from cstograph import load
    >>> summary = summarize(load())
    >>> summary.relations["member-of"] > 0
    True
    >>> summary.sources_by_kind["official"] > 0
    True
    """
    relation_nodes: set[URIRef] = set()
    relations = {}
    for kind in KINDS:
        nodes = {n for n in graph.subjects(RDF.type, kind.cls) if isinstance(n, URIRef)}
        relations[kind.name] = len(nodes)
        relation_nodes |= nodes
    by_organization: Counter[str] = Counter()
    for node in graph.subjects(RDF.type, CST.AllianceMembership):
        organization = graph.value(node, ORG.organization)
        if isinstance(organization, URIRef):
            by_organization[_label(graph, organization)] += 1
    event_nodes: set[URIRef] = set()
    events = {}
    for cls in EVENT_CLASSES:
        nodes = {n for n in graph.subjects(RDF.type, cls) if isinstance(n, URIRef)}
        events[_label(graph, cls)] = len(nodes)
        event_nodes |= nodes
    dated = relation_nodes | event_nodes
    entities: Counter[str] = Counter()
    for node, type_ in graph.subject_objects(RDF.type):
        if not isinstance(type_, URIRef):
            continue
        if isinstance(node, URIRef) and str(node).startswith(str(CS)) and node not in dated:
            if type_ == CST.SourceDocument:
                continue
            entities[_label(graph, type_)] += 1
    all_dates = [d for node in dated for d in _dates(graph, node)]
    cited: Counter[URIRef] = Counter()
    for node in dated:
        for source in set(graph.objects(node, PROV.wasDerivedFrom)):
            if isinstance(source, URIRef):
                cited[source] += 1
    sources = sorted(
        (
            SourceCount(
                short_name(s),
                str(graph.value(s, DCTERMS.title) or ""),
                cited[s],
                _kind(graph, s),
            )
            for s in graph.subjects(RDF.type, CST.SourceDocument)
            if isinstance(s, URIRef)
        ),
        key=lambda s: (-s.cited_by, s.id),
    )
    by_kind: Counter[str] = Counter({label: 0 for label in SOURCE_KINDS.values()})
    by_kind.update(s.kind for s in sources)
    return Summary(
        triples=len(graph),
        entities=dict(sorted(entities.items())),
        relations=relations,
        events=events,
        by_organization=dict(sorted(by_organization.items())),
        first_date=min(all_dates).isoformat() if all_dates else None,
        last_date=max(all_dates).isoformat() if all_dates else None,
        sources=sources,
        sources_by_kind=dict(by_kind),
    )
