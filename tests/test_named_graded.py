"""Named queries and the temporal API give the same rows for one question: the window is
applied by one rule (:func:`cstograph.temporal.grade`) wherever it is asked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from cstograph import load
from cstograph.index.build import build_index
from cstograph.index.history import History
from cstograph.query.graded import run_named
from cstograph.query.named import named_queries
from cstograph.temporal import Window, window

#: each windowed named query and the relation kind its rows are about
BY_KIND = {
    "members-in-year": ("member-of", "membership"),
    "bases-by-host": ("hosts-base", "arrangement"),
    "office-holders": ("holds-office", "holding"),
    "force-contributions": ("contributes-to-force", "contribution"),
}


@pytest.fixture(scope="module")
def shipped() -> tuple[Graph, History]:
    graph = load()
    return graph, build_index(graph, claims="all")


days = st.dates(min_value=date(1990, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def windows(draw: st.DrawFn) -> Window:
    how = draw(st.sampled_from(["year", "on", "between"]))
    if how == "year":
        question = window(year=draw(st.integers(1990, 2027)))
    elif how == "on":
        question = window(on=draw(days))
    else:
        first = draw(days)
        question = window(between=(first, first + timedelta(days=draw(st.integers(0, 4000)))))
    assert question is not None
    return question


@settings(max_examples=40, deadline=None)
@given(question=windows(), possible=st.booleans(), name=st.sampled_from(sorted(BY_KIND)))
def test_windowed_named_queries_give_the_api_rows(shipped, question, possible, name):
    graph, history = shipped
    kind, variable = BY_KIND[name]
    rows = run_named(graph, named_queries()[name], {}, question, possible=possible, history=history)
    prefix = str(history.iri("cs:"))
    got = {(str(row[variable]).replace(prefix, "cs:"), str(row["grade"])) for row in rows}
    api = history.select(
        [r for r in history.all_relations() if r.kind == kind and r.preferred is not False],
        question,
        possible,
    )
    assert got == {(r.id, r.grade) for r in api}


@settings(max_examples=25, deadline=None)
@given(
    year1=st.integers(1990, 2027),
    year2=st.integers(1990, 2027),
    possible=st.booleans(),
    org=st.sampled_from([None, "CSTO", "CIS", "SCO", "Collective Security Treaty"]),
)
def test_changes_between_years_is_diff(shipped, year1, year2, possible, org):
    graph, history = shipped
    bindings: dict[str, URIRef | Literal] = {"year1": Literal(year1), "year2": Literal(year2)}
    if org:
        bindings["org"] = history.iri(history.resolve(org).id)
    rows = run_named(
        graph, named_queries()["changes-between-years"], bindings, None,
        possible=possible, history=history,
    )  # fmt: skip
    prefix = str(history.iri("cs:"))
    got = {
        (
            str(row["change"]),
            str(row["member"]).replace(prefix, "cs:"),
            str(row["organization"]).replace(prefix, "cs:"),
            None if row["roleBefore"] is None else str(row["roleBefore"]),
            None if row["roleAfter"] is None else str(row["roleAfter"]),
        )
        for row in rows
    }
    preferred = History(graph, claims="preferred")
    diff = preferred.diff(year1, year2, org=org, kind="member-of", possible=possible)
    assert got == {(c.change, c.subject.id, c.object.id, c.role_before, c.role_after) for c in diff}


def test_the_examples_of_the_record_issue(shipped):
    """The rows a historian expects, through the named queries."""
    graph, history = shipped
    post = {"post": history.iri("cs:post-csto-secretary-general")}  # other posts hold in 2019 too
    holders = run_named(graph, named_queries()["office-holders"], post, window(year=2019),
                        history=history)  # fmt: skip
    assert {str(r["holder"]).rsplit("/", 1)[1] for r in holders} == {"valery-semerikov"}
    host = {"host": history.iri("cs:tajikistan")}
    bases = run_named(graph, named_queries()["bases-by-host"], host, window(year=2020),
                      history=history)  # fmt: skip
    sites = {str(r["site"]).rsplit("/", 1)[1] for r in bases}
    api = history.relations("hosts-base", subject="Tajikistan", year=2020)
    assert sites == {r.object.id[3:] for r in api}
    assert not any("201st-division" in s for s in sites)
