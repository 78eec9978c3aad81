"""The kinds table is the one place a relation kind is known: a toy kind registered at run
time (its own class and predicates in a test namespace, one of them only for military units)
goes through both index readers, the CSV export and import, a snapshot and a network diagram
without any other code knowing it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from rdflib import Namespace

from cstograph import load
from cstograph.analysis.snapshot import snapshot
from cstograph.export.relations_csv import export_csv, import_csv
from cstograph.index.build import history_from_file
from cstograph.index.history import History
from cstograph.model.kinds import KINDS, Kind, Link, Style, kind, register
from cstograph.model.terms import CS, CST
from cstograph.viz.network import network_figure

TOY = Namespace("https://example.org/toy#")

TOY_KIND = Kind(
    "pledges-to",
    TOY.Pledge,
    "pledges to",
    subject=(Link(TOY.pledger),),
    object=(Link(TOY.pledgee), Link(TOY.pledgedUnit, only_for=CST.MilitaryUnit)),
    role="optional",
    style=Style("pledges to", "--", 1.0, "#555555"),
)

PREFIXES = """\
@prefix cs:      <https://w3id.org/cstograph/id/> .
@prefix cst:     <https://w3id.org/cstograph/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema:  <https://schema.org/> .
@prefix time:    <http://www.w3.org/2006/time#> .
@prefix toy:     <https://example.org/toy#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
"""

ENTITIES = """
cs:toyland a cst:State ; rdfs:label "Toyland"@en .
cs:elsewhere a cst:State ; rdfs:label "Elsewhere"@en .
cs:toy-league a cst:Alliance ; rdfs:label "Toy League"@en .
cs:toy-brigade a cst:MilitaryUnit ; rdfs:label "Toy Brigade"@en .
cs:toy-notes a cst:SourceDocument ; cst:sourceKind cst:ScholarlySource ; dcterms:title "Toy notes" ;
    cst:documentName "toy-notes.txt" .
"""

RELATIONS = """
cs:pledge-toyland a toy:Pledge ;
    rdfs:label "Toyland pledges to the Toy League" ;
    toy:pledger cs:toyland ; toy:pledgee cs:toy-league ;
    schema:startDate "2001-03-01"^^xsd:date ; cst:startPrecision time:unitDay ;
    schema:endDate "2005-01-01"^^xsd:date ; cst:endPrecision time:unitYear ;
    prov:wasDerivedFrom cs:toy-notes ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity cs:toy-notes ;
        cst:locator "page 1" ] .

cs:pledge-elsewhere a toy:Pledge ;
    rdfs:label "Elsewhere pledges a brigade" ;
    toy:pledger cs:elsewhere ; toy:pledgedUnit cs:toy-brigade ;
    schema:startDate "2003-01-01"^^xsd:date ; cst:startPrecision time:unitYear ;
    prov:wasDerivedFrom cs:toy-notes ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity cs:toy-notes ;
        cst:locator "page 2" ] .
"""

EDGES = {
    ("cs:toyland", "cs:toy-league", "pledges-to"),
    ("cs:elsewhere", "cs:toy-brigade", "pledges-to"),
}


@contextmanager
def registered(new: Kind) -> Iterator[Kind]:
    """``new`` in the kinds table, and the table as it was afterwards."""
    saved = list(KINDS)
    register(new)
    try:
        yield new
    finally:
        KINDS[:] = saved


@pytest.fixture
def toy_kind():
    with registered(TOY_KIND) as toy:
        yield toy


@pytest.fixture
def toy_files(tmp_path):
    """The toy relations with their entities in one file, and the entities alone."""
    both = tmp_path / "toy.ttl"
    both.write_text(PREFIXES + ENTITIES + RELATIONS, encoding="utf-8")
    entities = tmp_path / "toy-entities.ttl"
    entities.write_text(PREFIXES + ENTITIES, encoding="utf-8")
    return both, entities


def records(history):
    return sorted(history.all_relations(), key=lambda r: r.id)


def test_registering_and_restoring():
    before = list(KINDS)
    with registered(TOY_KIND):
        assert kind("pledges-to") is TOY_KIND
        with pytest.raises(ValueError, match="is registered"):
            register(TOY_KIND)
    assert list(KINDS) == before
    assert all(k.name != "pledges-to" for k in KINDS)


def test_both_readers_read_the_toy_kind(toy_kind, toy_files):
    file, _ = toy_files
    slow = records(History(load([file], include_graph=False)))
    fast = records(history_from_file(file))
    assert fast == slow
    assert [(r.id, r.kind, r.subject.id, r.object.id) for r in slow] == [
        ("cs:pledge-elsewhere", "pledges-to", "cs:elsewhere", "cs:toy-brigade"),
        ("cs:pledge-toyland", "pledges-to", "cs:toyland", "cs:toy-league"),
    ]
    assert [s.locator for r in slow for s in r.sources] == ["page 2", "page 1"]


def test_csv_round_trip_of_the_toy_kind(toy_kind, toy_files, tmp_path):
    file, entities = toy_files
    first = export_csv(load([file], include_graph=False))
    assert first.count("\ncs:pledge-") == 2 and ",pledges-to," in first
    (tmp_path / "toy.csv").write_text(first, encoding="utf-8")
    out = tmp_path / "imported.ttl"
    imported = import_csv(tmp_path / "toy.csv", out, extra_files=[entities], include_graph=False)
    assert len(set(imported.subjects(TOY.pledger, None))) == 2
    assert set(imported.objects(None, TOY.pledgedUnit)) == {CS["toy-brigade"]}  # by only_for
    again = load([entities, out], include_graph=False)
    assert export_csv(again) == first
    assert records(History(again)) == records(History(load([file], include_graph=False)))


def test_snapshot_and_network_draw_the_toy_kind(toy_kind, toy_files):
    file, _ = toy_files
    history = History(load([file], include_graph=False))
    graph = snapshot(history, year=2004)
    assert {(u, v, d["kind"]) for u, v, d in graph.edges(data=True)} == EDGES
    assert snapshot(history, year=2002).number_of_edges() == 1
    fig = network_figure(history, 2004, states=["cs:toyland", "cs:elsewhere"])
    drawn = [
        c for c in fig.axes[0].collections if (c.get_gid() or "").startswith("edges:pledges-to:")
    ]
    assert sum(len(lines.get_segments()) for lines in drawn) == 2
    legend = [
        t.get_text() for ax in fig.axes for lg in [ax.get_legend()] if lg for t in lg.get_texts()
    ]
    assert "pledges to" in legend
