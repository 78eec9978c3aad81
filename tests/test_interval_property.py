"""Property: the interval index answers exactly as a plain SPARQL FILTER over stored bounds,
on random graphs (day-precise bounds, rejoins, open intervals) and random dates."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal

from cstograph.index.history import History
from cstograph.io.parse import load
from cstograph.model.terms import CS, CST, ORG, PROV, RDF, RDFS, SCHEMA, TIME
from cstograph.query.sparql import run_query

ORIGIN = date(1990, 1, 1)
SPAN = 365 * 40

ONTOLOGY = load(include_graph=False)

QUERY = """
SELECT ?r WHERE {
  ?r a cst:AllianceMembership ; org:organization ?org ; schema:startDate ?start .
  OPTIONAL { ?r schema:endDate ?end }
  FILTER (?start < ?to && (!BOUND(?end) || ?end > ?from))
}
"""

intervals = st.lists(
    st.tuples(
        st.integers(0, 9),  # member
        st.integers(0, 2),  # organization
        st.integers(0, SPAN),  # start offset
        st.one_of(st.none(), st.integers(1, 4000)),  # length, or open
    ),
    min_size=1,
    max_size=40,
)


def build(rows: list[tuple[int, int, int, int | None]]) -> Graph:
    graph = Graph()
    graph += ONTOLOGY
    source = CS["source-random"]
    graph.add((source, RDF.type, CST.SourceDocument))
    for org in range(3):
        graph.add((CS[f"org-{org}"], RDF.type, CST.Alliance))
        graph.add((CS[f"org-{org}"], RDFS.label, Literal(f"Organization {org}")))
    for state in range(10):
        graph.add((CS[f"state-{state}"], RDF.type, CST.State))
        graph.add((CS[f"state-{state}"], RDFS.label, Literal(f"State {state}")))
    for i, (member, org, offset, length) in enumerate(rows):
        node = CS[f"r-{i}"]
        start = ORIGIN + timedelta(days=offset)
        graph.add((node, RDF.type, CST.AllianceMembership))
        graph.add((node, ORG.member, CS[f"state-{member}"]))
        graph.add((node, ORG.organization, CS[f"org-{org}"]))
        graph.add((node, ORG.role, CST.FullMember))
        graph.add((node, SCHEMA.startDate, Literal(start)))
        graph.add((node, CST.startPrecision, TIME.unitDay))
        if length is not None:
            graph.add((node, SCHEMA.endDate, Literal(start + timedelta(days=length))))
            graph.add((node, CST.endPrecision, TIME.unitDay))
        graph.add((node, PROV.wasDerivedFrom, source))
    return graph


def sparql_ids(graph: Graph, first: date, stop: date) -> set[str]:
    result = run_query(graph, QUERY, bindings={"from": Literal(first), "to": Literal(stop)})
    return {"cs:" + str(row[0]).rsplit("/", 1)[1] for row in result}  # type: ignore[index]


def boundary_days(rows: list[tuple[int, int, int, int | None]]) -> list[int]:
    """Offsets of every stored bound and the days either side: where off-by-one bugs live."""
    days = []
    for _, _, offset, length in rows:
        for bound in (offset, offset + length if length is not None else None):
            if bound is not None:
                days += [bound - 1, bound, bound + 1]
    return days


@settings(max_examples=150)
@given(intervals, st.data(), st.integers(0, 3))
def test_index_matches_sparql_on_days_and_years(rows, data, kind):
    graph = build(rows)
    history = History(graph)
    offset = data.draw(st.one_of(st.sampled_from(boundary_days(rows)), st.integers(0, SPAN)))
    day = ORIGIN + timedelta(days=offset)
    if kind == 0:  # --on DATE
        found = history.relations("member-of", on=day)
        expected = sparql_ids(graph, day, day + timedelta(days=1))
    elif kind == 1:  # --year Y
        found = history.relations("member-of", year=day.year)
        expected = sparql_ids(graph, date(day.year, 1, 1), date(day.year + 1, 1, 1))
    else:  # --from A --to B (inclusive of B)
        last = day + timedelta(days=kind * 200)
        found = history.relations("member-of", between=(day, last))
        expected = sparql_ids(graph, day, last + timedelta(days=1))
    assert {r.id for r in found} == expected
    assert all(r.certain for r in found)  # day-precise bounds are never uncertain


@settings(max_examples=30)
@given(intervals, st.integers(0, SPAN))
def test_members_is_relations_restricted_to_the_organization(rows, offset):
    graph = build(rows)
    history = History(graph)
    day = ORIGIN + timedelta(days=offset)
    for org in range(3):
        members = {r.id for r in history.members(f"cs:org-{org}", on=day)}
        related = {r.id for r in history.relations(object=f"cs:org-{org}", on=day)}
        assert members == related
