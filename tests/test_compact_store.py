"""CompactMemory answers every triple pattern, removal and SPARQL as rdflib's own store does."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from cstograph.io.compact_memory import CompactMemory

_IRIS = [URIRef(f"https://example.org/n{i}") for i in range(5)]
_PREDICATES = [URIRef(f"https://example.org/p{i}") for i in range(3)]
_OBJECTS = [
    *_IRIS,
    BNode("b1"),
    Literal("n1"),  # the same text as an IRI's local name, and as a typed literal below
    Literal("n1", datatype=XSD.string),
    Literal("n1", lang="ru"),
    Literal(1),
    Literal("01", datatype=XSD.integer),  # equal value, other lexical form: another term
]
_SUBJECTS = [*_IRIS, BNode("b1")]
triples_st = st.lists(
    st.tuples(st.sampled_from(_SUBJECTS), st.sampled_from(_PREDICATES), st.sampled_from(_OBJECTS)),
    max_size=40,
)


def _pair(triples: list[tuple[object, object, object]]) -> tuple[Graph, Graph]:
    ours, theirs = Graph(store=CompactMemory()), Graph(store="SimpleMemory")
    for triple in triples:
        ours.add(triple)  # type: ignore[arg-type]
        theirs.add(triple)  # type: ignore[arg-type]
    return ours, theirs


def _patterns() -> list[tuple[object, object, object]]:
    return list(itertools.product([None, *_SUBJECTS], [None, *_PREDICATES], [None, *_OBJECTS]))


@settings(max_examples=60)
@given(triples_st)
def test_every_pattern_matches_simple_memory(triples: list[tuple[object, object, object]]) -> None:
    ours, theirs = _pair(triples)
    assert len(ours) == len(theirs)
    for pattern in _patterns():
        got = list(ours.triples(pattern))  # type: ignore[arg-type]
        assert len(got) == len(set(got)), pattern  # no triple twice
        assert set(got) == set(theirs.triples(pattern)), pattern  # type: ignore[arg-type]


@settings(max_examples=60)
@given(triples_st, st.lists(st.sampled_from(_patterns()), max_size=4))
def test_removal_matches_simple_memory(
    triples: list[tuple[object, object, object]], removals: list[tuple[object, object, object]]
) -> None:
    ours, theirs = _pair(triples)
    for pattern in removals:
        ours.remove(pattern)  # type: ignore[arg-type]
        theirs.remove(pattern)  # type: ignore[arg-type]
        assert len(ours) == len(theirs)
        assert set(ours) == set(theirs)
    for pattern in _patterns()[::7]:
        assert set(ours.triples(pattern)) == set(theirs.triples(pattern))  # type: ignore[arg-type]


def test_removing_everything_leaves_no_index_behind() -> None:
    graph = Graph(store=CompactMemory())
    a, p = _IRIS[0], _PREDICATES[0]
    graph.add((a, p, Literal("x")))
    graph.add((a, p, Literal("y")))
    graph.remove((a, p, Literal("x")))
    assert list(graph.objects(a, p)) == [Literal("y")]
    graph.remove((None, None, None))
    store = graph.store
    assert isinstance(store, CompactMemory)
    assert len(graph) == 0 and not store._spo and not store._pos


def test_sparql_and_serialization_work_on_it() -> None:
    graph = Graph(store=CompactMemory(), bind_namespaces="none")
    graph.bind("ex", "https://example.org/")
    a, b, p = _IRIS[0], _IRIS[1], _PREDICATES[0]
    graph.add((a, p, b))
    graph.add((b, p, Literal("end")))
    rows = graph.query(
        "SELECT ?x ?v WHERE { ?x ex:p0/ex:p0 ?v }", initNs={"ex": URIRef("https://example.org/")}
    )
    assert [(row[0], str(row[1])) for row in rows] == [(a, "end")]  # type: ignore[index]
    text = graph.serialize(format="turtle")
    assert "ex:n0 ex:p0 ex:n1" in text
    again = Graph().parse(data=text, format="turtle")
    assert set(again) == set(graph)


@settings(max_examples=60)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["ex", "other", "third"]),
            st.sampled_from([URIRef("https://example.org/"), URIRef("https://example.com/")]),
            st.booleans(),
        ),
        max_size=6,
    )
)
def test_bind_matches_simple_memory(binds: list[tuple[str, URIRef, bool]]) -> None:
    from rdflib.plugins.stores.memory import SimpleMemory

    ours, theirs = CompactMemory(), SimpleMemory()
    for prefix, namespace, override in binds:
        ours.bind(prefix, namespace, override=override)
        try:
            theirs.bind(prefix, namespace, override=override)
        except KeyError:  # rdflib's own tables out of step (see CompactMemory.bind)
            assert ours.namespace(prefix) == namespace  # we bind as asked
            return
        assert dict(ours.namespaces()) == dict(theirs.namespaces())
        for name in ("ex", "other", "third"):
            assert ours.namespace(name) == theirs.namespace(name)
        for iri in (URIRef("https://example.org/"), URIRef("https://example.com/")):
            assert ours.prefix(iri) == theirs.prefix(iri)


def test_bind_where_rdflib_raises() -> None:
    """A sequence after which rdflib's SimpleMemory raises KeyError (found by hypothesis):
    CompactMemory binds as asked."""
    from rdflib.plugins.stores.memory import SimpleMemory

    org, com = URIRef("https://example.org/"), URIRef("https://example.com/")
    steps = [("ex", org, True), ("other", com, True), ("ex", com, False), ("ex", org, True)]
    ours, theirs = CompactMemory(), SimpleMemory()
    for prefix, namespace, override in steps:
        ours.bind(prefix, namespace, override=override)
        theirs.bind(prefix, namespace, override=override)
    with pytest.raises(KeyError):
        theirs.bind("ex", com)
    ours.bind("ex", com)
    assert ours.namespace("ex") == com and ours.prefix(com) == "ex"
