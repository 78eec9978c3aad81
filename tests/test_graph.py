"""The shipped graph: every relation and event is sourced to a paragraph, in our own words,
with well-formed dates, and it says what the seed document says."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS, XSD

from cstograph.io import paths
from cstograph.model.kinds import KINDS
from cstograph.model.terms import (
    CS,
    CST,
    EVENT_CLASSES,
    ORG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    TIME,
)

from . import shingles

SEED_SOURCE = CS["source-seed-000"]
SEED_PARAGRAPHS = 14


def dated_nodes(graph: Graph) -> list[URIRef]:
    classes = [*(k.cls for k in KINDS), *EVENT_CLASSES]
    return sorted({n for c in classes for n in graph.subjects(RDF.type, c)})  # type: ignore[misc]


def test_there_are_relations_and_events(graph):
    assert len(dated_nodes(graph)) >= 30


def test_every_relation_and_event_has_a_declared_source_and_locator(graph):
    declared = set(graph.subjects(RDF.type, CST.SourceDocument))
    for node in dated_nodes(graph):
        sources = set(graph.objects(node, PROV.wasDerivedFrom))
        assert sources and sources <= declared, node
        derivations = list(graph.objects(node, PROV.qualifiedDerivation))
        assert derivations, node
        for derivation in derivations:
            assert graph.value(derivation, PROV.entity) in sources, node
            assert graph.value(derivation, CST.locator) is not None, node
            assert graph.value(derivation, RDFS.comment) is not None, node


def test_seed_locators_are_paragraphs_of_the_document(graph):
    seen = set()
    for derivation in graph.subjects(PROV.entity, SEED_SOURCE):
        locator = str(graph.value(derivation, CST.locator))
        match = re.fullmatch(r"paragraph (\d+)", locator)
        assert match, locator
        seen.add(int(match.group(1)))
    assert seen <= set(range(1, SEED_PARAGRAPHS + 1))
    # every paragraph that carries a date is cited
    assert {2, 3, 4, 6, 8, 9, 10, 13, 14} <= seen


def test_dates_are_xsd_date_with_precision(graph):
    units = {TIME.unitDay, TIME.unitMonth, TIME.unitYear}
    for node in dated_nodes(graph):
        starts = list(graph.objects(node, SCHEMA.startDate))
        ends = list(graph.objects(node, SCHEMA.endDate))
        assert len(starts) == 1 and len(ends) <= 1, node
        for value in starts + ends:
            assert isinstance(value, Literal) and value.datatype == XSD.date, node
        assert graph.value(node, CST.startPrecision) in units, node
        if ends:
            assert graph.value(node, CST.endPrecision) in units, node
            assert starts[0].toPython() <= ends[0].toPython(), node


def test_no_timeless_shortcuts(graph):
    for prop in (ORG.memberOf, ORG.hasMember, ORG.holds, ORG.heldBy):
        assert not list(graph.triples((None, prop, None))), prop


def test_notes_are_our_own_words(graph):
    """No literal in graph/ repeats eight consecutive words of the seed document (checked
    against the hashes of the seed's shingles in tests/data/seed-shingles.txt)."""
    seed = shingles.read()
    assert len(seed) > 1000  # the whole seed document, not an empty file
    data = Graph()
    for path in paths.graph_files():
        data.parse(path)
    for literal in {o for o in data.objects() if isinstance(o, Literal)}:
        copied = shingles.copied(str(literal), seed)
        assert not copied, f"copied from the seed: {copied[0]}"


KNOWN = "The treaty was signed in the city on a cold morning, said the old report."


@pytest.mark.parametrize(
    "note,copies",
    [
        ("We note the treaty was signed in the city by night.", False),  # seven words
        ("So the treaty was signed in the big city on a cold morning.", False),  # 6 + 5
        ("We note THE TREATY, was signed in the city -- on paper.", True),  # eight
        ("Witnesses: signed in the city on a cold morning, said the old report.", True),
    ],
)
def test_a_copied_run_of_eight_words_is_found(note, copies):
    """The check above on a made-up source: seven shared words pass, eight are found,
    whatever the case and punctuation."""
    known = shingles.hashes(KNOWN)
    assert bool(shingles.copied(note, known)) is copies
    assert shingles.copied(KNOWN, known) == shingles.shingles(KNOWN)


def test_wikidata_links_only_confirmed_qids(graph):
    confirmed = {
        "Q318693", "Q7779", "Q485207", "Q4173083", "Q7184", "Q159", "Q184", "Q399",
        "Q232", "Q813", "Q863", "Q265", "Q874", "Q227", "Q230", "Q212",
    }  # fmt: skip
    linked = {str(o).rsplit("/", 1)[1] for o in graph.objects(None, SKOS.exactMatch)}
    assert linked and linked <= confirmed


# What the seed document says -------------------------------------------------------------


def members_of(graph: Graph, org: URIRef) -> set[URIRef]:
    return {
        graph.value(m, ORG.member)
        for m in graph.subjects(ORG.organization, org)
        if (m, RDF.type, CST.AllianceMembership) in graph
    }


def test_csto_members_of_paragraph_4(graph):
    assert {
        CS[s] for s in ("russia", "armenia", "belarus", "kazakhstan", "kyrgyzstan", "tajikistan")
    } <= members_of(graph, CS.csto)
    assert CS.turkmenistan not in members_of(graph, CS.csto)


def test_stated_non_members(graph):
    non_members = {
        graph.value(n, CST.nonMember)
        for n in graph.subjects(RDF.type, CST.NonMembership)
        if graph.value(n, CST.nonMemberOf) == CS.csto
    }
    expected = {"uzbekistan", "turkmenistan", "ukraine", "georgia", "azerbaijan"}
    assert {CS[s] for s in expected} <= non_members
    assert len(non_members) == len(expected) + 3  # and the three Baltic republics


def test_uzbekistan_contradiction_is_recorded(graph):
    conflicts = [
        (a, b)
        for a, b in graph.subject_objects(CST.conflictsWith)
        if CS.uzbekistan in {graph.value(a, ORG.member), graph.value(a, CST.nonMember)}
    ]
    assert conflicts


def test_renaming_cst_to_csto_in_may_2002(graph):
    (event,) = graph.subjects(ORG.resultingOrganization, CS.csto)
    assert (event, RDF.type, CST.Renaming) in graph
    assert graph.value(event, ORG.originalOrganization) == CS.cst
    assert graph.value(event, SCHEMA.startDate).toPython() == date(2002, 5, 1)
    assert graph.value(event, CST.startPrecision) == TIME.unitMonth


def test_kant_air_base_from_september_2003(graph):
    # the seed's September 2003 is cited on the arrangement dated to the day by the Kremlin
    (arrangement,) = [
        a
        for a in graph.subjects(CST.base, CS["kant-air-base"])
        if (a, PROV.wasDerivedFrom, SEED_SOURCE) in graph
    ]
    assert graph.value(arrangement, CST.hostState) == CS.kyrgyzstan
    assert graph.value(arrangement, CST.operator) == CS.russia
    start = graph.value(arrangement, SCHEMA.startDate).toPython()
    assert (start.year, start.month) == (2003, 9)
    assert graph.value(CS["kant-air-base"], SCHEMA.containedInPlace) == CS.kyrgyzstan


def figures(graph: Graph, node: URIRef, prop: URIRef = CST.figure) -> set[tuple[Decimal, URIRef]]:
    return {
        (graph.value(f, SCHEMA.value).toPython(), graph.value(f, CST.approximation))
        for f in graph.objects(node, prop)
    }


def test_201st_division_strength(graph):
    # the seed attests the division by 2003 with 5,500 personnel: cited on its 1992-2004 stationing,
    # where the figure stays in the seed's citation (it is the strength of 2003 only)
    (arrangement,) = graph.subjects(CST.stationedUnit, CS["russia-201st-division"])
    assert graph.value(arrangement, CST.hostState) == CS.tajikistan
    assert graph.value(arrangement, SCHEMA.endDate).toPython() == date(2004, 10, 16)
    seed = [
        str(graph.value(d, RDFS.comment))
        for d in graph.objects(arrangement, PROV.qualifiedDerivation)
        if graph.value(d, PROV.entity) == SEED_SOURCE
    ]
    assert any("5,500" in c for c in seed)


def test_channel_2005_seizures(graph):
    found = set()
    for node in graph.subjects(RDF.type, CST.Operation):
        found |= figures(graph, node)
    assert {
        (Decimal(80), CST.MoreThan),
        (Decimal(9), CST.Approximately),
        (Decimal(200), CST.MoreThan),
    } <= found


def test_2013_procurement_statement(graph):
    (statement,) = graph.subjects(CST.speaker, CS["valery-semerikov"])
    assert graph.value(statement, SCHEMA.startDate).toPython() == date(2013, 12, 26)
    assert graph.value(statement, CST.startPrecision) == TIME.unitDay
    assert (Decimal(33_000_000_000), CST.Approximately) in figures(graph, statement)


def test_crrf_contributions_of_2009(graph):
    contributions = {
        graph.value(c, ORG.member): c for c in graph.subjects(ORG.organization, CS["csto-crrf"])
    }
    assert set(contributions) >= {CS.russia, CS.kazakhstan, CS.uzbekistan}
    assert graph.value(contributions[CS.uzbekistan], ORG.role) == CST.AdHocContributor
    for c in contributions.values():
        assert graph.value(c, SCHEMA.startDate).toPython().year == 2009


def test_bordyuzha_interview_of_14_january_2006(graph):
    dates = {
        graph.value(s, SCHEMA.startDate).toPython()
        for s in graph.subjects(CST.speaker, CS["nikolai-bordyuzha"])
    }
    assert date(2006, 1, 14) in dates


@pytest.mark.parametrize("query", paths.violation_queries(), ids=lambda p: p.name)
def test_violation_query_finds_nothing_in_the_shipped_graph(graph, query):
    from cstograph.query.sparql import run_query

    rows = list(run_query(graph, query.read_text(encoding="utf-8")))
    assert rows == []
