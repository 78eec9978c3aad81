"""The fast path gives the same interval index as reading an rdflib graph."""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

import pytest
from rdflib import Literal

from cstograph.analysis.sweep import snapshots
from cstograph.index.build import history_from_file, load_history
from cstograph.index.history import History
from cstograph.io.parse import load
from cstograph.io.synth import write_turtle
from cstograph.model.terms import CST, RDF, RDFS


def records(history: History) -> list[tuple[object, ...]]:
    """Every field of every relation, the hidden ranges and role IRI too."""
    return [(*astuple(r), r.start_range, r.end_range, r.role_iri) for r in history.all_relations()]


@pytest.fixture(autouse=True)
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTOGRAPH_CACHE", "off")


@pytest.mark.parametrize("claims", ["preferred", "all"])
def test_shipped_graph_same_records(claims: str) -> None:
    slow = History(load(), claims=claims)
    fast = load_history(claims=claims)
    assert records(fast) == records(slow)
    assert len(fast.all_relations()) > 100


def test_shipped_graph_same_answers() -> None:
    slow, fast = History(load()), load_history()
    assert fast.members("CSTO", year=2007) == slow.members("CSTO", year=2007)
    assert fast.timeline("Kant air base") == slow.timeline("Kant air base")
    assert fast.diff(2005, 2013, org="CSTO") == slow.diff(2005, 2013, org="CSTO")
    assert fast.resolve("Q813") == slow.resolve("Q813")
    for (year, a), (_, b) in zip(
        snapshots(fast, 2000, 2003), snapshots(slow, 2000, 2003), strict=True
    ):
        assert sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))
        assert dict(a.nodes(data=True)) == dict(b.nodes(data=True)), year


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fastload") / "synthetic.ttl"
    write_turtle(path, 3000, seed=5)
    return path


def test_synthetic_graph_same_records(synthetic: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTOGRAPH_CACHE", "off")
    slow = History(load([synthetic], include_graph=False), claims="all")
    fast = history_from_file(synthetic, claims="all")
    assert len(fast.all_relations()) == 3000
    assert records(fast) == records(slow)
    org = fast.all_relations()[0].object.id
    assert fast.members(org, year=2010) == slow.members(org, year=2010)


def test_split_relation_falls_back(tmp_path: Path) -> None:
    """A relation node written in two pieces is read by rdflib, with the same answers."""
    data = tmp_path / "split.ttl"
    data.write_text(
        "@prefix cs: <https://w3id.org/cstograph/id/> .\n"
        "@prefix cst: <https://w3id.org/cstograph/ontology#> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "@prefix schema: <https://schema.org/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "cs:m1 a cst:AllianceMembership ; org:member cs:russia ; org:organization cs:csto .\n"
        "cs:russia schema:description 'x' .\n"
        'cs:m1 org:role cst:FullMember ; schema:startDate "2001-02-03"^^xsd:date .\n',
        encoding="utf-8",
    )
    fast = load_history([data])
    slow = History(load([data]))
    assert records(fast) == records(slow)
    assert "cs:m1" in {r.id for r in fast.all_relations()}


def test_a_node_split_in_a_stream_not_grouped_by_subject_is_irregular() -> None:
    """An endpoint's CONSTRUCT (Virtuoso's, under load) may send a relation node's subject
    after other nodes' triples: the stream reader hands the graph to rdflib instead of
    calling the node incomplete."""
    import pyoxigraph as ox

    from cstograph.index.stream import Reader, read_all

    cs, org = "https://w3id.org/cstograph/id/", "http://www.w3.org/ns/org#"
    text = (
        f"<{cs}m1> <{RDF.type}> <{CST.AllianceMembership}> .\n"
        f"<{cs}m1> <{org}organization> <{cs}csto> .\n"
        f'<{cs}m1> <https://schema.org/startDate> "2001-02-03"^^<{XSD_DATE}> .\n'
        f"<{cs}m1> <{org}role> <{CST.FullMember}> .\n"
        f'<{cs}russia> <{RDFS.label}> "Russia" .\n'
        f"<{cs}m1> <{org}member> <{cs}russia> .\n"
    )
    parsed = ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES)
    assert read_all(Reader(), [parsed]) is False


XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"

PREFIXES = (
    "@prefix cs: <https://w3id.org/cstograph/id/> .\n"
    "@prefix cst: <https://w3id.org/cstograph/ontology#> .\n"
    "@prefix org: <http://www.w3.org/ns/org#> .\n"
    "@prefix prov: <http://www.w3.org/ns/prov#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
    "@prefix schema: <https://schema.org/> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
)

#: Blank nodes written before and after the relation nodes that own them, one nested.
SCATTERED = (
    PREFIXES + "_:d1 a prov:Derivation ; prov:entity cs:src1 ; cst:locator 'p. 1' .\n"
    "_:f1 schema:value 500 ; schema:description 'about five hundred' .\n"
    "cs:m1 a cst:AllianceMembership ; org:member cs:russia ; org:organization cs:csto ;\n"
    "  org:role cst:FullMember ; schema:startDate '2001-02-03'^^xsd:date ;\n"
    "  prov:qualifiedDerivation _:d1, _:d2 .\n"
    "cs:b1 a cst:BasingArrangement ; cst:hostState cs:kyrgyzstan ; cst:base cs:kant ;\n"
    "  cst:operator cs:russia ; schema:startDate '2003-09-22'^^xsd:date ;\n"
    "  cst:personnel _:f1 ; prov:qualifiedDerivation _:d3 .\n"
    "_:d2 prov:entity cs:src2 ; cst:locator 'row 2' ; rdfs:comment 'note' ; cst:extra _:x .\n"
    "_:x rdfs:label 'nested' .\n"
    "_:d3 prov:entity cs:src1 ; cst:locator 'p. 9' .\n"
    "cs:src1 dcterms:title 'Source one' .\n"
    "cs:src2 dcterms:title 'Source two' .\n"
    "cs:kant rdfs:label 'Kant air base' .\n"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "data.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def fast_path_taken(history: History) -> bool:
    """The fast path keeps relation nodes out of ``History.graph``; rdflib's does not."""
    return not any(history.graph.subjects(RDF.type, CST.AllianceMembership)) and not any(
        history.graph.subjects(RDF.type, CST.BasingArrangement)
    )


def test_blank_nodes_before_and_after_their_relation(tmp_path: Path) -> None:
    """Whichever order the subjects come in, a relation node owns its blank nodes."""
    data = write(tmp_path, SCATTERED)
    fast = history_from_file(data, claims="all")
    slow = History(load([data], include_graph=False), claims="all")
    assert fast_path_taken(fast)
    assert records(fast) == records(slow)
    b1, m1 = sorted(fast.all_relations(), key=lambda r: r.id)
    assert [(s.id, s.locator, s.note) for s in b1.sources + m1.sources] == [
        ("cs:src1", "p. 9", None),
        ("cs:src1", "p. 1", None),
        ("cs:src2", "row 2", "note"),
    ]
    assert m1.personnel is None and b1.personnel is not None
    assert b1.personnel.value == 500 and b1.personnel.description == "about five hundred"
    assert (None, RDFS.label, Literal("nested")) not in fast.graph  # owned, nested


@pytest.mark.parametrize(
    "extra",
    [
        "cs:m2 a cst:AllianceMembership ; org:member cs:armenia ; org:organization cs:csto ;\n"
        "  schema:startDate '2002-01-01'^^xsd:date ; prov:qualifiedDerivation _:d1 .\n",
        "cs:src2 cst:about _:d2 .\n",
        "_:y cst:about _:x .\n",
    ],
    ids=["two relation nodes", "an entity", "another blank node"],
)
def test_shared_blank_node_falls_back(tmp_path: Path, extra: str) -> None:
    """A blank node a relation node reaches and something else points to as well: rdflib."""
    data = write(tmp_path, SCATTERED + extra)
    fast = history_from_file(data, claims="all")
    slow = History(load([data], include_graph=False), claims="all")
    assert not fast_path_taken(fast)
    assert records(fast) == records(slow)


def test_blank_node_reached_twice_from_one_relation(tmp_path: Path) -> None:
    """Two paths from one relation node to a blank node (here ``_:d1`` and ``_:d2`` both
    point to ``_:x``, and ``_:x`` back to ``_:d1``) still make it that node's own."""
    data = write(
        tmp_path,
        SCATTERED.replace("cst:extra _:x .", "cst:extra _:x . _:d1 cst:also _:x .")
        + "_:x cst:back _:d1 .\n",
    )
    fast = history_from_file(data, claims="all")
    assert fast_path_taken(fast)
    assert records(fast) == records(History(load([data], include_graph=False), claims="all"))


#: A relation node whose blank nodes all come before it: owned on the spot.
EARLY = (
    "_:e1 a prov:Derivation ; prov:entity cs:src2 ; cst:locator 'p. 4' ; cst:extra _:e2 .\n"
    "_:e2 rdfs:label 'nested early' .\n"
    "cs:m3 a cst:AllianceMembership ; org:member cs:belarus ; org:organization cs:csto ;\n"
    "  schema:startDate '2004-05-06'^^xsd:date ; prov:qualifiedDerivation _:e1 .\n"
)


def test_blank_nodes_read_before_their_relation_are_owned_at_once(tmp_path: Path) -> None:
    data = write(tmp_path, SCATTERED + EARLY)
    fast = history_from_file(data, claims="all")
    assert fast_path_taken(fast)
    assert records(fast) == records(History(load([data], include_graph=False), claims="all"))
    [m3] = [r for r in fast.all_relations() if r.id == "cs:m3"]
    assert [(s.id, s.title, s.locator) for s in m3.sources] == [("cs:src2", "Source two", "p. 4")]
    assert (None, RDFS.label, Literal("nested early")) not in fast.graph


@pytest.mark.parametrize(
    "later",
    [
        "cs:m4 a cst:AllianceMembership ; org:member cs:armenia ; org:organization cs:csto ;\n"
        "  schema:startDate '2005-01-01'^^xsd:date ; prov:qualifiedDerivation _:e1 .\n",
        "cs:src1 cst:about _:e2 .\n",
        "_:y cst:about _:e1 .\n",
        "cs:other rdfs:label 'other' .\n_:e1 rdfs:comment 'after its relation node' .\n",
    ],
    ids=["a later relation node", "a later entity", "a later blank node", "a later triple"],
)
def test_blank_node_owned_at_once_then_mentioned_again_falls_back(
    tmp_path: Path, later: str
) -> None:
    data = write(tmp_path, SCATTERED + EARLY + later)
    fast = history_from_file(data, claims="all")
    assert not fast_path_taken(fast)
    assert records(fast) == records(History(load([data], include_graph=False), claims="all"))


def test_the_shipped_graph_streams_in_one_piece() -> None:
    """Every relation node of the shipped graph is written in one place, so the fast
    reader serves it (a node split across files sends every command to rdflib)."""
    from cstograph.index.stream import Reader, oxigraph_triples, read_all
    from cstograph.io import paths

    files = paths.input_files([])
    assert read_all(Reader(), (oxigraph_triples(path) for path in files)) is True
