"""Source documents and what they support.

A source (``cst:SourceDocument``) is never an entity: names do not resolve to it
(:mod:`cstograph.index.names`). It is found here by its id, slug, IRI, ``dcterms:title`` or
``rdfs:label`` (compared as names are, :func:`~cstograph.index.names.name_key`), and shown
with the facts that cite it: the relations and events derived from it, with their locators,
and the entities whose names it gives (``dcterms:source``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef

from cstograph.errors import UnknownEntityError, UnknownSourceError
from cstograph.index.names import name_key
from cstograph.model.records import Citation, Entity, Event, Relation, SourceDocument
from cstograph.model.terms import (
    CST,
    DCTERMS,
    EVENT_CLASSES,
    RDF,
    RDFS,
    SCHEMA,
    SOURCE_KINDS,
    short_name,
)

if TYPE_CHECKING:
    from cstograph.index.history import History

__all__ = ["find_source", "source_documents", "source_kinds", "sources"]


def _text(history: History, value: Any) -> str | None:
    """A literal's text, or an IRI's label."""
    if value is None:
        return None
    return history.label(value) if isinstance(value, URIRef) else str(value)


def _kind(history: History, value: Any) -> str | None:
    """A ``cst:sourceKind`` as answers name it (:data:`~cstograph.model.terms.SOURCE_KINDS`)."""
    if isinstance(value, URIRef):
        return SOURCE_KINDS.get(value) or history.label(value)
    return None


def _issued(value: Any) -> date | None:
    if isinstance(value, Literal) and isinstance(value.toPython(), date):
        return value.toPython()  # type: ignore[no-any-return]
    return None


def _citations(history: History) -> dict[str, list[Citation]]:
    """Every citation of the graph by source id: relations (the claims ``history`` shows),
    events (likewise) and entities' names."""
    found: dict[str, list[Citation]] = defaultdict(list)

    def cite(what: str, kind: str, record: Relation | Event) -> None:
        cited = Entity(record.id, record.label)
        for source in record.sources:
            found[source.id].append(
                Citation(
                    what,
                    kind,
                    cited,
                    record.start,
                    source.locator,
                    source.note,
                    record.start_precision,
                    record.start_qualifier,
                )
            )

    for relation in history.all_relations():
        cite("relation", relation.kind, relation)
    graph = history.graph
    nodes = {n for c in EVENT_CLASSES for n in graph.subjects(RDF.type, c) if isinstance(n, URIRef)}
    for node in nodes:
        event = history.event(node)
        if history.claims != "all" and event.preferred is False:
            continue
        cite("event", event.type, event)
    for entity in history.names.entity_keys():
        groups = sorted(history.names.groups(entity))
        for document in graph.objects(entity, DCTERMS.source):
            if isinstance(document, URIRef):
                found[short_name(document)].append(
                    Citation(
                        "names",
                        groups[0] if groups else "entity",
                        history.entity(entity),
                        None,
                        None,
                        None,
                    )
                )
    for citations in found.values():
        citations.sort(key=lambda c: (c.what != "names", c.start or date.min, c.record.id))
    return found


def source_documents(history: History) -> list[SourceDocument]:
    """Every source document of the graph, by id, each with the facts that cite it.

    Examples
    --------
    >>> from cstograph import load
    >>> from cstograph.index.history import History
    >>> documents = source_documents(History(load()))
    >>> rt = next(d for d in documents if d.id == "cs:source-rt-2012-kyrgyz-base")
    >>> rt.issued, rt.host, rt.cited_by("relation")
    (datetime.date(2012, 8, 16), 'www.rt.com', 2)
    """
    graph = history.graph
    cited = _citations(history)
    documents = []
    for node in set(graph.subjects(RDF.type, CST.SourceDocument)):
        if not isinstance(node, URIRef):
            continue
        short = short_name(node)
        title = _text(history, graph.value(node, DCTERMS.title))
        url = graph.value(node, SCHEMA.url)
        documents.append(
            SourceDocument(
                id=short,
                title=title or short,
                label=_text(history, graph.value(node, RDFS.label)),
                url=str(url) if url is not None else None,
                document_name=_text(history, graph.value(node, CST.documentName)),
                issued=_issued(graph.value(node, DCTERMS.issued)),
                publisher=_text(
                    history,
                    graph.value(node, DCTERMS.publisher) or graph.value(node, SCHEMA.publisher),
                ),
                kind=_kind(history, graph.value(node, CST.sourceKind)),
                note=_text(history, graph.value(node, RDFS.comment)),
                citations=tuple(cited.get(short, ())),
            )
        )
    return sorted(documents, key=lambda d: d.id)


def source_kinds(documents: list[SourceDocument]) -> list[str]:
    """The kinds the graph gives its sources (``cst:sourceKind``), sorted."""
    return sorted({d.kind for d in documents if d.kind})


def sources(history: History, *, kind: str | None = None) -> list[SourceDocument]:
    """The source documents, the most cited first (of ``kind`` only, when given).

    Raises
    ------
    UnknownSourceError
        ``kind`` is not a source kind (:data:`~cstograph.model.terms.SOURCE_KINDS`, or one
        the graph gives a source).
    """
    documents = source_documents(history)
    if kind is not None:
        kinds = sorted({*SOURCE_KINDS.values(), *source_kinds(documents)})
        matching = [k for k in kinds if name_key(k) == name_key(kind)]
        if not matching:
            raise UnknownSourceError(f"unknown source kind {kind!r}; kinds: {', '.join(kinds)}")
        documents = [d for d in documents if d.kind == matching[0]]
    return sorted(documents, key=lambda d: (-d.cited_by(), d.id))


def find_source(history: History, name: str) -> SourceDocument:
    """The one source document with this id (``cs:source-...``, the slug or the IRI),
    title or label.

    Raises
    ------
    UnknownSourceError
        No source or several have that name; the message lists the closest titles, or
        says that the name is an entity's.

    Examples
    --------
    >>> from cstograph import load
    >>> from cstograph.index.history import History
    >>> find_source(History(load()), "Basic facts").id
    'cs:source-odkb-basic-facts'
    """
    documents = source_documents(history)
    by_key: dict[str, set[str]] = defaultdict(set)
    titles: dict[str, str] = {}
    for document in documents:
        slug = document.id.removeprefix("cs:")
        iri = str(history.iri(document.id))
        for text in (document.id, slug, iri, document.title, document.label):
            if text:
                by_key[name_key(text)].add(document.id)
                by_key[text.strip().casefold()].add(document.id)
        titles[document.id] = document.title
    found = by_key.get(name.strip().casefold()) or by_key.get(name_key(name)) or set()
    if len(found) == 1:
        (wanted,) = found
        return next(d for d in documents if d.id == wanted)
    if found:
        raise UnknownSourceError(f"{name!r} is ambiguous: it names {', '.join(sorted(found))}")
    try:
        entity = history.resolve(name)
    except UnknownEntityError:
        entity = None
    if entity is not None:
        raise UnknownSourceError(
            f"{name!r} is an entity ({entity.id}), not a source; "
            f"`cstograph search {name!r}` finds sources that mention it"
        )
    from rapidfuzz import fuzz, process

    ranked = process.extract(
        name_key(name), list(by_key), scorer=fuzz.WRatio, limit=12, score_cutoff=80
    )
    suggestions: list[str] = []
    for key, _score, _index in ranked:
        for sid in sorted(by_key[key]):
            if sid not in suggestions:
                suggestions.append(sid)
    hint = "; did you mean " + ", ".join(suggestions[:4]) + "?" if suggestions else ""
    raise UnknownSourceError(f"no source is called {name!r}{hint}")
