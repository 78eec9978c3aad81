"""Snapshots: the yearly sweep equals rebuilding from scratch; attributes are scalars; the
projection counts shared organizations."""

from __future__ import annotations

import gc
import weakref
from datetime import date, timedelta

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal

from cstograph.analysis.projection import projection
from cstograph.analysis.snapshot import scope, snapshot
from cstograph.analysis.sweep import snapshots
from cstograph.errors import InputError
from cstograph.index.history import History
from cstograph.io.parse import load
from cstograph.model.terms import CS, CST, ORG, PROV, RDF, RDFS, SCHEMA, TIME
from cstograph.temporal import in_effect, window, year_span

ONTOLOGY = load(include_graph=False)
ORIGIN = date(1990, 1, 1)
UNITS = [TIME.unitDay, TIME.unitMonth, TIME.unitYear]
QUALIFIERS = [None, CST.NotLaterThan, CST.NotEarlierThan]


@pytest.fixture(scope="module")
def history(graph: Graph) -> History:
    return History(graph)


def assert_same(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))
    assert a.graph == b.graph


def test_sweep_equals_rebuilding_every_year_on_the_shipped_graph(history):
    years = list(snapshots(history, 1985, 2030))
    assert [y for y, _ in years] == list(range(1985, 2031))
    for year, swept in years:
        assert_same(swept, snapshot(history, year=year))


@pytest.mark.parametrize(
    "kinds,orgs", [(["member-of"], None), (None, ["CSTO"]), (["contributes-to-force"], ["CSTO"])]
)
def test_sweep_equals_rebuilding_with_filters(history, kinds, orgs):
    for year, swept in snapshots(history, 1999, 2016, kinds=kinds, orgs=orgs):
        assert_same(swept, snapshot(history, year=year, kinds=kinds, orgs=orgs))


def test_swept_graphs_are_frozen_and_their_copies_are_not(history):
    swept = dict(snapshots(history, 2008, 2010))
    g2009 = swept[2009]
    before = sorted(swept[2008].edges(keys=True))
    assert nx.is_frozen(g2009)
    with pytest.raises(nx.NetworkXError, match="Frozen"):
        g2009.add_edge("cs:russia", "cs:csto", key="x")
    with pytest.raises(nx.NetworkXError, match="Frozen"):
        g2009.remove_node("cs:russia")
    mine = g2009.copy()
    mine.remove_node("cs:russia")
    mine.edges[next(iter(mine.edges(keys=True)))]["certain"] = "changed"
    assert "cs:russia" in g2009 and "cs:russia" not in mine
    assert all(d["certain"] != "changed" for *_, d in g2009.edges(keys=True, data=True))
    assert sorted(swept[2008].edges(keys=True)) == before
    assert_same(swept[2010], snapshot(history, year=2010))


def test_a_dropped_year_graph_is_freed_at_once(history):
    """networkx caches views that point back to their graph; the sweep breaks those cycles
    once the caller moves on, so a year's graph goes when dropped, without the collector."""
    refs = []
    gc.disable()
    try:
        for _, g in snapshots(history, 2000, 2004):
            assert g.number_of_edges() == len(g.edges) > 0 and dict(g.degree)
            refs.append(weakref.ref(g))
        del g
        assert [r() for r in refs] == [None] * 5
    finally:
        gc.enable()


def test_year_span_agrees_with_in_effect(history):
    for relation in history.all_relations():
        span = year_span(relation)
        for year in range(1990, 2030):
            expected = in_effect(relation.start_range, relation.end_range, window(year=year))
            assert span.state(year) == expected, (relation.id, year)


def test_snapshot_content(history):
    g = snapshot(history, year=2007)
    assert g.nodes["cs:russia"] == {
        "label": "Russia",
        "class": "cst:State",
        "type": "state",
        "qid": "Q159",
    }
    edges = [d for _, v, d in g.out_edges("cs:russia", data=True) if v == "cs:csto"]
    assert edges and all(d["kind"] == "member-of" for d in edges)
    assert all(d["role"] == "full member" and d["sources"] for d in edges)
    for _, _, data in g.edges(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in data.values())
    for _, data in g.nodes(data=True):
        assert all(isinstance(v, str) for v in data.values())


def test_every_edge_endpoint_and_no_isolated_node(history):
    for _, g in snapshots(history, 1991, 2026):
        assert not list(nx.isolates(g))


def test_on_a_day_and_uncertain_relations(history):
    g = snapshot(history, on="2003-06-15", kinds=["hosts-base"])
    assert g.graph["window"] == "on 2003-06-15"
    for r in history.all_relations():
        (earliest, latest), (end_earliest, _) = r.start_range, r.end_range
        if earliest.year < 1900 or latest.year > 2100 or end_earliest <= latest:
            continue  # only relations with a bounded start that surely held on its latest start
        day = timedelta(days=1)
        before = snapshot(history, on=earliest - day)
        after = snapshot(history, on=latest)
        assert not before.has_edge(r.subject.id, r.object.id, key=r.id), r.id
        assert after.edges[r.subject.id, r.object.id, r.id]["certain"], r.id
        if latest > earliest:  # a coarse start: possible, not certain, on its first day
            assert not snapshot(history, on=earliest).edges[r.subject.id, r.object.id, r.id][
                "certain"
            ]


def test_kinds_and_orgs_filters(history):
    g = snapshot(history, year=2010, kinds=["hosts-base"])
    assert {d["kind"] for _, _, d in g.edges(data=True)} == {"hosts-base"}
    assert "cs:csto-crrf" in scope(history, ["CSTO"])
    g = snapshot(history, year=2010, orgs=["CSTO"])
    objects = {v for _, v, d in g.edges(data=True) if d["kind"] != "holds-office"}
    assert objects <= scope(history, ["CSTO"])  # and the posts of the CSTO


def test_bad_input(history):
    with pytest.raises(InputError, match="unknown kind 'friends'"):
        snapshot(history, year=2000, kinds=["friends"])
    with pytest.raises(InputError):
        list(snapshots(history, 2010, 2000))
    with pytest.raises(InputError):
        snapshot(history, year=2000, on="2000-01-01")
    with pytest.raises(InputError, match="no entity"):
        snapshot(history, year=2000, orgs=["Atlantis League"])


def test_projection_weights(history):
    p = projection(snapshot(history, year=2010))
    assert all(p.nodes[n]["class"] == "cst:State" for n in p)
    link = p.edges["cs:russia", "cs:kazakhstan"]
    assert link["weight"] == len(link["shared"].split("; "))
    assert {"cs:csto", "cs:csto-crrf"} <= set(link["shared"].split("; "))
    only = projection(snapshot(history, year=2010), orgs={"cs:csto"})
    assert {d["shared"] for _, _, d in only.edges(data=True)} == {"cs:csto"}
    assert {d["weight"] for _, _, d in only.edges(data=True)} == {1}


# Random graphs: every precision and qualifier, every kind that has a state and an organization.

relations = st.lists(
    st.tuples(
        st.integers(0, 5),  # state
        st.integers(0, 2),  # organization
        st.sampled_from(["member", "non-member", "contribution"]),
        st.integers(0, 365 * 30),  # start offset
        st.sampled_from(UNITS),
        st.sampled_from(QUALIFIERS),
        st.one_of(st.none(), st.integers(1, 365 * 8)),  # length, or open
        st.sampled_from(UNITS),
        st.sampled_from(QUALIFIERS),
    ),
    min_size=1,
    max_size=25,
)


def _coarse(day: date, unit: object) -> date:
    if unit == TIME.unitYear:
        return date(day.year, 1, 1)
    if unit == TIME.unitMonth:
        return date(day.year, day.month, 1)
    return day


def build(rows: list[tuple]) -> Graph:  # type: ignore[type-arg]
    graph = Graph()
    graph += ONTOLOGY
    source = CS["source-random"]
    graph.add((source, RDF.type, CST.SourceDocument))
    for org in range(3):
        node = CS[f"org-{org}"]
        graph.add((node, RDF.type, CST.JointForce if org == 2 else CST.Alliance))
        graph.add((node, RDFS.label, Literal(f"Organization {org}")))
    graph.add((CS["org-2"], ORG.unitOf, CS["org-0"]))
    for state in range(6):
        graph.add((CS[f"state-{state}"], RDF.type, CST.State))
        graph.add((CS[f"state-{state}"], RDFS.label, Literal(f"State {state}")))
    for i, (state, org, kind, offset, su, sq, length, eu, eq) in enumerate(rows):
        node = CS[f"r-{i}"]
        start = _coarse(ORIGIN + timedelta(days=offset), su)
        cls, subject, obj = {
            "member": (CST.AllianceMembership, ORG.member, ORG.organization),
            "non-member": (CST.NonMembership, CST.nonMember, CST.nonMemberOf),
            "contribution": (CST.ForceContribution, ORG.member, ORG.organization),
        }[kind]
        graph.add((node, RDF.type, cls))
        graph.add((node, subject, CS[f"state-{state}"]))
        graph.add((node, obj, CS[f"org-{org}"]))
        if kind == "member":
            graph.add((node, ORG.role, [CST.FullMember, CST.Observer][i % 2]))
        graph.add((node, SCHEMA.startDate, Literal(start)))
        graph.add((node, CST.startPrecision, su))
        if sq is not None:
            graph.add((node, CST.startQualifier, sq))
        if length is not None:
            end = max(_coarse(start + timedelta(days=length), eu), start + timedelta(days=1))
            graph.add((node, SCHEMA.endDate, Literal(end)))
            graph.add((node, CST.endPrecision, eu if end.day == 1 else TIME.unitDay))
            if eq is not None:
                graph.add((node, CST.endQualifier, eq))
        graph.add((node, PROV.wasDerivedFrom, source))
    return graph


@settings(max_examples=60)
@given(relations, st.integers(1985, 2025), st.integers(0, 25), st.booleans())
def test_sweep_equals_rebuilding_on_random_graphs(rows, first, length, restrict):
    history = History(build(rows))
    orgs = ["cs:org-0"] if restrict else None
    # every year is kept before comparing: a later year must not change an earlier graph
    for year, swept in list(snapshots(history, first, first + length, orgs=orgs)):
        assert_same(swept, snapshot(history, year=year, orgs=orgs))
