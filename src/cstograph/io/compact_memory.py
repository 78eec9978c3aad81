"""A compact in-memory rdflib store, for large graphs that are filled once and then looked up.

rdflib's in-memory stores keep three nested indexes (subject-predicate-object,
predicate-object-subject, object-subject-predicate), and every triple ends in a small dict
of its own in each: about 800 bytes a triple. :class:`CompactMemory` keeps two indexes,
subject → predicate → objects and predicate → object → subjects, and keeps a lone value
as itself, making a set only when a second one arrives. A pattern with only the object
bound is answered from the second index, one lookup per predicate (a graph has few).
At a million synthetic relations the other triples :mod:`cstograph.index.stream` keeps
(labels, types, sources) take about a third of the memory they took in ``SimpleMemory``.

It answers every triple pattern as rdflib's stores do, so a :class:`rdflib.Graph` on it
supports the whole Graph API and SPARQL (through rdflib's own engine). It has no named
graphs and no transactions.

Examples
--------
>>> from rdflib import Graph, Literal, URIRef
>>> graph = Graph(store=CompactMemory())
>>> a, label = URIRef("https://example.org/a"), URIRef("https://example.org/label")
>>> _ = graph.add((a, label, Literal("A"))).add((a, label, Literal("Alpha")))
>>> sorted(str(o) for o in graph.objects(a, label)), len(graph)
(['A', 'Alpha'], 2)
>>> list(graph.subjects(None, Literal("Alpha"))) == [a]
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from rdflib.store import Store
from rdflib.term import Node, URIRef

__all__ = ["CompactMemory"]


class _Many(dict[Node, None]):
    """Two or more values under one key: an insertion-ordered set (told apart from a term,
    which is never a dict)."""

    __slots__ = ()


_Index = dict[Node, dict[Node, Any]]  # key -> key -> a term, or _Many of terms
_NO_CONTEXTS: tuple[()] = ()


def _put(index: dict[Node, Any], key: Node, value: Node) -> bool:
    """Add ``value`` under ``key``; False when it was there already."""
    found = index.get(key)
    if found is None:
        index[key] = value
        return True
    if type(found) is _Many:
        if value in found:
            return False
        found[value] = None
        return True
    if found is value or found == value:
        return False
    index[key] = _Many({found: None, value: None})
    return True


def _drop(index: dict[Node, Any], key: Node, value: Node) -> None:
    """Remove ``value`` from under ``key`` (it is there)."""
    found = index[key]
    if type(found) is _Many:
        del found[value]
        if len(found) == 1:
            index[key] = next(iter(found))
    else:
        del index[key]


def _each(found: Any) -> Iterable[Node]:
    """The values under a key: a term or a :class:`_Many`."""
    return found if type(found) is _Many else (found,)


def _has(found: Any, value: Node) -> bool:
    if type(found) is _Many:
        return value in found
    return found is value or found == value


class CompactMemory(Store):
    """An in-memory triple store of two indexes, for graphs read far more than changed."""

    context_aware = False
    formula_aware = False
    transaction_aware = False
    graph_aware = False

    def __init__(self, configuration: str | None = None, identifier: Any = None) -> None:
        super().__init__(configuration)
        self.identifier = identifier
        self._spo: _Index = {}
        self._pos: _Index = {}
        self._size = 0
        self._namespace: dict[str, URIRef] = {}
        self._prefix: dict[URIRef, str] = {}

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        """Add one triple (a triple already there is left as it is)."""
        s, p, o = triple
        po = self._spo.get(s)
        if po is None:
            po = self._spo[s] = {}
        if not _put(po, p, o):
            return
        os = self._pos.get(p)
        if os is None:
            os = self._pos[p] = {}
        _put(os, o, s)
        self._size += 1

    def remove(self, triple: Any, context: Any = None) -> None:
        """Remove every triple matching the pattern."""
        spo, pos = self._spo, self._pos
        for (s, p, o), _ in list(self.triples(triple)):
            _drop(spo[s], p, o)
            if not spo[s]:
                del spo[s]
            _drop(pos[p], o, s)
            if not pos[p]:
                del pos[p]
            self._size -= 1

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[tuple[Any, Any]]:
        """The triples matching a pattern (``None`` matches anything), each with no contexts."""
        s, p, o = triple_pattern
        none = _NO_CONTEXTS
        if s is not None:
            po = self._spo.get(s)
            if po is None:
                return
            if p is not None:
                one = po.get(p)
                items: Iterable[tuple[Node, Any]] = () if one is None else ((p, one),)
            else:
                items = po.items()
            for predicate, found in items:
                if o is not None:
                    if _has(found, o):
                        yield (s, predicate, o), iter(none)
                else:
                    for value in _each(found):
                        yield (s, predicate, value), iter(none)
        elif p is not None:
            os = self._pos.get(p)
            if os is None:
                return
            if o is not None:
                if o in os:
                    for subject in _each(os[o]):
                        yield (subject, p, o), iter(none)
            else:
                for value, found in os.items():
                    for subject in _each(found):
                        yield (subject, p, value), iter(none)
        elif o is not None:
            for predicate, os in self._pos.items():
                if o in os:
                    for subject in _each(os[o]):
                        yield (subject, predicate, o), iter(none)
        else:
            for subject, po in self._spo.items():
                for predicate, found in po.items():
                    for value in _each(found):
                        yield (subject, predicate, value), iter(none)

    def __len__(self, context: Any = None) -> int:
        return self._size

    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        """Bind a prefix to a namespace, as rdflib's memory stores do (but where their tables
        have gone out of step after ``override=False`` and they raise ``KeyError``, this
        binds as asked)."""
        bound_namespace = self._namespace.get(prefix)
        bound_prefix = self._prefix.get(namespace)
        if bound_prefix is None and bound_namespace is not None:
            bound_prefix = self._prefix.get(bound_namespace)
        if override:
            if bound_prefix is not None:
                self._namespace.pop(bound_prefix, None)
            if bound_namespace is not None:
                self._prefix.pop(bound_namespace, None)
            self._prefix[namespace] = prefix
            self._namespace[prefix] = namespace
        else:
            kept_namespace = bound_namespace if bound_namespace is not None else namespace
            kept_prefix = bound_prefix if bound_prefix is not None else prefix
            self._prefix[kept_namespace] = kept_prefix
            self._namespace[kept_prefix] = kept_namespace

    def namespace(self, prefix: str) -> URIRef | None:
        return self._namespace.get(prefix)

    def prefix(self, namespace: URIRef) -> str | None:
        return self._prefix.get(namespace)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from self._namespace.items()
