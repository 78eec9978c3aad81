"""Finding anything by text: entities, events and sources, ranked, each described in a line;
and which kinds of entity a question wants.

:func:`search` ranks by rapidfuzz's ``WRatio`` over the keys names are compared by
(:func:`~cstograph.index.names.name_key`: case, accents, punctuation, British/American
spellings do not matter; Cyrillic names match their Latin transliteration): every name of an
entity (:meth:`~cstograph.index.names.NameIndex.entity_keys`), the label of an event, and the id,
title and label of a source. :func:`wanted` says which groups of entities a relation's
subject or object can be, from the relations the graph has, so that "did you mean"
suggestions are of the kind the question asks for.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from datetime import date
from typing import TYPE_CHECKING

from rdflib import URIRef

from cstograph.errors import InputError
from cstograph.index.names import GROUPS, name_key
from cstograph.model.records import Match, SourceDocument
from cstograph.model.terms import CST, EVENT_CLASSES, ORG, RDF, RDFS, SCHEMA, SKOS, WD, short_name

if TYPE_CHECKING:
    from cstograph.index.history import History

__all__ = ["SEARCH_KINDS", "describe", "resolve_for", "search", "wanted"]

#: What ``search --kind`` can ask for: a group of entities, any entity, an event, a source.
SEARCH_KINDS: tuple[str, ...] = (*GROUPS, "entity", "event", "source")

_SCORE_CUTOFF = 85
_QUALIFIED = {"not later than": "by {}", "not earlier than": "{} or later"}


def _when(value: date, precision: str | None, qualifier: str | None = None) -> str:
    """A date as precise as it is known (``2003``, ``2002-05``, ``by 2006-01-14``)."""
    text = {"year": value.strftime("%Y"), "month": value.strftime("%Y-%m")}.get(
        precision or "day", value.isoformat()
    )
    return _QUALIFIED.get(qualifier or "", "{}").format(text)


def wanted(history: History, kind: str | None, side: str) -> frozenset[str]:
    """The groups of entities that are the ``side`` (``"subject"`` or ``"object"``) of the
    relations of ``kind`` (any kind: ``None``) in the graph.

    Examples
    --------
    >>> from cstograph import load
    >>> from cstograph.index.history import History
    >>> history = History(load())
    >>> sorted(wanted(history, "hosts-base", "subject"))
    ['state']
    >>> sorted(wanted(history, "holds-office", "object"))
    ['post']
    """
    groups: set[str] = set()
    seen: set[str] = set()
    for relation in history.all_relations():
        if kind is not None and relation.kind != kind:
            continue
        entity = relation.subject if side == "subject" else relation.object
        if entity.id not in seen:
            seen.add(entity.id)
            groups |= history.names.groups(history.iri(entity.id))
    return frozenset(groups)


def resolve_for(history: History, name: str | None, kind: str | None, side: str) -> str | None:
    """The id of the entity ``name`` names, resolved among the groups that can be the
    ``side`` of a relation of ``kind`` (:func:`wanted`), so suggestions are of that kind."""
    if name is None:
        return None
    return history.resolve(name, among=wanted(history, kind, side) or None).id


def _entity_kind(history: History, node: URIRef) -> str:
    groups = history.names.groups(node)
    return next((g for g in GROUPS if g in groups), "entity")


def _class_label(history: History, node: URIRef) -> str:
    """The label of the most specific class of ``node`` that has one."""
    graph = history.graph
    types = {t for t in graph.objects(node, RDF.type) if isinstance(t, URIRef)}
    broader = {b for t in types for b in graph.transitive_objects(t, RDFS.subClassOf) if b != t}
    labels = [
        history.label(t)
        for t in sorted(types - broader, key=lambda t: (not str(t).startswith(str(CST)), str(t)))
    ]
    if not labels:
        return "entity"
    named = [label for label in labels if ":" not in label]
    if named:
        return named[0]
    # a class from another vocabulary without a label here (org:Post, foaf:Person)
    local = labels[0].rsplit(":", 1)[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


def describe(history: History, node: URIRef) -> str:
    """One line about an entity: its class, where or whose it is, when it was founded or
    ended (from its founding, renaming or dissolution events), its Wikidata QID.

    Examples
    --------
    >>> from cstograph import load
    >>> from cstograph.index.history import History
    >>> from cstograph.model.terms import CS
    >>> history = History(load())
    >>> describe(history, CS["kant-air-base"])
    'air base in Kyrgyzstan'
    >>> describe(history, CS["csto"])
    'alliance, from 2002-05; Wikidata Q318693'
    """
    graph = history.graph
    parts = [_class_label(history, node)]
    for predicate, word in (
        (SCHEMA.containedInPlace, "in"),
        (ORG.postIn, "of"),
        (ORG.unitOf, "of"),
    ):
        value = graph.value(node, predicate)
        if isinstance(value, URIRef):
            parts[0] += f" {word} {history.label(value)}"
    spans = []
    for predicate, word in (
        (ORG.resultingOrganization, "from"),
        (ORG.originalOrganization, "until"),
    ):
        dated = []
        for event_node in graph.subjects(predicate, node):
            if isinstance(event_node, URIRef) and any(
                (event_node, RDF.type, cls) in graph for cls in EVENT_CLASSES
            ):
                event = history.event(event_node)
                if event.preferred is not False:
                    dated.append(event)
        if dated:
            first = min(dated, key=lambda e: (e.start, e.id))
            spans.append(
                f"{word} {_when(first.start, first.start_precision, first.start_qualifier)}"
            )
    text = " ".join([parts[0], *spans]) if not spans else f"{parts[0]}, {' '.join(spans)}"
    qids = sorted(
        str(m)[len(str(WD)) :]
        for m in graph.objects(node, SKOS.exactMatch)
        if str(m).startswith(str(WD))
    )
    if qids:
        text += f"; Wikidata {', '.join(qids)}"
    return text


def _score(query: str, key: str) -> float:
    """How well ``key`` matches ``query`` (0-100): 100 for the same key; 95 x how well the
    key has each of the query's words (the mean of each word's best ``ratio`` against the
    key's words); 90 x the best partial match for a query of five characters or more
    (``kazakh`` in ``kazakhstan``); else the plain similarity (``ratio``: typos)."""
    from rapidfuzz import fuzz, process

    if key == query:
        return 100.0
    words = key.split()
    coverage = [
        found[1] if (found := process.extractOne(word, words, scorer=fuzz.ratio)) else 0.0
        for word in query.split()
    ]
    scores = [fuzz.ratio(query, key), 0.95 * sum(coverage) / len(coverage)]
    if len(query) >= 5:
        scores.append(0.9 * fuzz.partial_ratio(query, key))
    return float(max(scores))


def _best(query: str, keys: Iterable[str]) -> float:
    return max((_score(query, key) for key in keys), default=0.0)


def search(
    history: History,
    text: str,
    *,
    kinds: Collection[str] | None = None,
    limit: int = 10,
) -> list[Match]:
    """Entities, events and sources whose names match ``text``, best first.

    Parameters
    ----------
    kinds
        Only these of :data:`SEARCH_KINDS` (``state``, ..., ``entity`` for any entity,
        ``event``, ``source``); ``None``: all.
    limit
        At most this many matches.

    Examples
    --------
    >>> from cstograph import load
    >>> from cstograph.index.history import History
    >>> history = History(load())
    >>> [(m.kind, m.id) for m in search(history, "Gabala", limit=2)]
    [('base', 'cs:gabala-radar-station'), ('source', 'cs:source-mfa-az-gabala-termination')]
    >>> search(history, "ОДКБ", kinds={"organization"}, limit=1)[0].label
    'Collective Security Treaty Organization'
    """
    from anyascii import anyascii

    unknown = set(kinds or ()) - set(SEARCH_KINDS)
    if unknown:
        raise InputError(
            f"unknown kind {', '.join(sorted(unknown))}; kinds: {', '.join(SEARCH_KINDS)}"
        )
    if limit < 1:
        raise InputError(f"the limit must be at least 1, not {limit}")
    query = name_key(text)
    if not query:
        raise InputError("search for what? the text has no letters or digits")
    queries = {query, name_key(anyascii(text))}

    def score(keys: Iterable[str]) -> float:
        found = list(keys)
        return max(_best(q, found) for q in queries)

    def asked(kind: str, entity: bool = False) -> bool:
        return kinds is None or kind in kinds or (entity and "entity" in kinds)

    scored: list[tuple[float, int, str, URIRef | str]] = []
    for node, keys in history.names.entity_keys().items():
        kind = _entity_kind(history, node)
        if asked(kind, entity=True):
            value = score(keys)
            if value >= _SCORE_CUTOFF:
                scored.append((value, 0, kind, node))
    graph = history.graph
    if asked("event"):
        for cls in EVENT_CLASSES:
            for event in graph.subjects(RDF.type, cls):
                if isinstance(event, URIRef):
                    value = score([name_key(history.label(event))])
                    if value >= _SCORE_CUTOFF:
                        scored.append((value, 1, "event", event))
    documents: dict[str, SourceDocument] = {}
    if asked("source"):
        from cstograph.index.sources import source_documents

        documents = {d.id: d for d in source_documents(history)}
        for document in documents.values():
            names = (document.title, document.label, document.id.removeprefix("cs:source-"))
            value = score([name_key(n) for n in names if n])
            if value >= _SCORE_CUTOFF:
                scored.append((value, 2, "source", document.id))
    matches: list[Match] = []
    for value, _rank, kind, item in sorted(scored, key=lambda s: (-s[0], s[1], str(s[3]))):
        if len(matches) == limit:
            break
        matches.append(_match(history, kind, item, value, documents))
    return matches


def _match(
    history: History,
    kind: str,
    item: URIRef | str,
    value: float,
    documents: dict[str, SourceDocument],
) -> Match:
    score = round(value, 1)
    if kind == "source":
        document = documents[str(item)]
        parts = ["source"]
        if document.issued:
            parts.append(f"issued {document.issued.isoformat()}")
        if document.host or document.document_name:
            parts.append(document.host or f"document {document.document_name}")
        parts.append(f"cited by {document.cited_by()}")
        return Match(kind, document.id, document.title, ", ".join(parts), score)
    assert isinstance(item, URIRef)
    if kind == "event":
        event = history.event(item)
        when = _when(event.start, event.start_precision, event.start_qualifier)
        if event.end is not None:
            when += f" until {_when(event.end, event.end_precision, event.end_qualifier)}"
        return Match(kind, event.id, event.label, f"{event.type}, {when}", score)
    return Match(kind, short_name(item), history.label(item), describe(history, item), score)
