"""The temporal commands and named queries from the shell: output, formats and error paths."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from cstograph.cli import cli
from cstograph.query.named import named_queries

from .conftest import DATA
from .test_cli import assert_one_line_error

EDGES = str(DATA / "temporal-edges.ttl")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("command", ["members", "relations", "timeline", "diff"])
def test_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "--format" in result.output


def test_members_table_shows_roles():
    result = run("members", "TA", "--year", "2011", "--role", "all", "--data", EDGES)
    assert result.exit_code == 0, result.output
    header, _rule, *rows = result.output.splitlines()
    assert header.split()[:6] == ["subject", "role", "object", "from", "until", "held"]
    assert any(r.startswith("Deltaland") and "participation frozen" in r for r in rows)
    assert any(r.startswith("Gammaland") and "observer" in r for r in rows)


def test_members_json_shape():
    result = run("members", "TA", "--on", "2012-12-18", "--format", "json", "--data", EDGES)
    assert result.exit_code == 0
    records = json.loads(result.output)
    alpha = next(r for r in records if r["subject"]["label"] == "Alphaland")
    assert alpha["kind"] == "member-of"
    assert alpha["object"] == {"id": "cs:test-alliance", "label": "Test Alliance"}
    assert alpha["start"] == "2001-06-15" and alpha["end"] == "2012-12-19"
    assert alpha["start_precision"] == alpha["end_precision"] == "day"
    assert alpha["certain"] is True
    assert alpha["sources"][0] == {
        "id": "cs:source-test",
        "title": "Test notes",
        "locator": "row 1",
        "note": "first spell",
        "url": None,
        "issued": None,
        "kind": "scholarly",
    }
    for key in ("id", "role", "end_qualifier", "start_qualifier", "conflicts_with"):
        assert key in alpha


def test_members_day_after_the_end():
    result = run("members", "TA", "--on", "2012-12-19", "--format", "json", "--data", EDGES)
    assert "Alphaland" not in {r["subject"]["label"] for r in json.loads(result.output)}


def test_members_csv_is_flat():
    result = run("members", "TA", "--year", "2003", "--format", "csv", "--data", EDGES)
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    beta = next(r for r in rows if r["subject"] == "Betaland")
    assert beta["start"] == "2003-01-01" and beta["start_precision"] == "year"
    assert beta["certain"] == "true"
    assert beta["sources"] == "cs:source-test (row 3)"


def test_relations_hosts_base_has_operator():
    args = ("relations", "--kind", "hosts-base", "--subject", "Kyrgyzstan", "--on", "2010-01-01")
    records = json.loads(run(*args, "--format", "json").output)
    by_base = {r["object"]["id"]: r["operator"] for r in records}
    assert by_base["cs:kant-air-base"] == {"id": "cs:russia", "label": "Russia"}
    assert all(r["subject"]["id"] == "cs:kyrgyzstan" for r in records)


def test_relations_contributions_have_unit():
    result = run("relations", "--kind", "contributes-to-force", "--subject", "Kazakhstan")
    assert result.exit_code == 0
    assert "air assault" in result.output.lower()
    assert "unit" in result.output.splitlines()[0].split()


def test_timeline_lists_events_and_relations():
    result = run("timeline", "Kyrgyz Republic")
    assert result.exit_code == 0
    assert "treaty signing" in result.output and "hosts-base" in result.output
    data = json.loads(run("timeline", "Kyrgyzstan", "--format", "json").output)
    assert [d["start"] for d in data] == sorted(d["start"] for d in data)


def test_diff_table_and_json():
    result = run("diff", "2009", "2012", "--org", "TA", "--data", EDGES)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["object", "change", "subject"]
    assert any("Betaland" in line and "left" in line for line in lines)
    changes = json.loads(
        run("diff", "2009", "2012", "--org", "TA", "--data", EDGES, "--format", "json").output
    )
    delta = next(c for c in changes if c["subject"]["label"] == "Deltaland")
    assert delta["change"] == "role changed"
    assert delta["role_before"] == "full member" and delta["role_after"] == "participation frozen"


# errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args,fragment",
    [
        (("relations", "--subject", "Kyrgystan"), "did you mean Kyrgyzstan"),
        (("members", "CSTO", "--year", "2007", "--on", "2007-01-01"), "not year and on"),
        (("members", "CSTO", "--on", "2007-02-30"), "is not a date"),
        (("members", "CSTO", "--year", "07"), "is not a year"),
        (
            ("members", "CSTO", "--from", "2013", "--to", "2005"),
            "starts (2013) after it ends (2005)",
        ),
        (("members", "CSTO", "--role", "emperor"), "unknown role"),
        (("timeline", "Atlantis"), "no entity is called 'Atlantis'"),
        (("diff", "2005", "20x3"), "'20x3' is not a year"),
        (("diff", "2005", "2005-13"), "is not a date"),
        (("relations", "--subject", "Nowhere"), "no entity is called"),
        (("query", "members-in-year", "--param", "org=Nowhere"), "no entity is called"),
        (("query", "changes-between-years"), "needs --param year1=... --param year2=..."),
        (("query", "members-in-year", "--param", "colour=red"), "has no parameter 'colour'"),
        (
            ("query", "changes-between-years", "--param", "year1=05", "--param", "year2=2013"),
            "not a year",
        ),
        (("query", "members-in-year", "--param", "org"), "use NAME=VALUE"),
    ],
)
def test_errors_are_one_line_exit_2(args, fragment):
    assert_one_line_error(run(*args), 2, fragment)


def test_unknown_kind_is_a_usage_error():
    result = run("relations", "--kind", "allied-with")
    assert result.exit_code == 2
    assert "Invalid value for '--kind'" in result.stderr


# named queries -------------------------------------------------------------------------------


def test_query_list():
    result = run("query", "--list")
    assert result.exit_code == 0
    for name in named_queries():
        assert name in result.output
    listed = json.loads(run("query", "--list", "--format", "json").output)
    assert {q["name"] for q in listed} == set(named_queries())


def test_required_named_queries_exist():
    assert {
        "members-in-year",
        "states-in-two-organizations",
        "bases-by-host",
        "force-contributions",
        "office-holders",
        "changes-between-years",
        "conflicting-claims",
    } <= set(named_queries())


def test_every_named_query_is_documented_and_runs():
    for query in named_queries().values():
        assert query.description, query.name
        args = ["query", query.name, "--format", "json", "--data", EDGES]
        args += [f"--param={p.name}=2009" for p in query.params if p.required]
        result = run(*args)
        assert result.exit_code == 0, (query.name, result.output)
        assert "results" in json.loads(result.output)


def members_in(year: str, org: str = "TA") -> set[str]:
    result = run(
        "query", "members-in-year", "--year", year, "--param", f"org={org}",
        "--format", "json", "--data", EDGES,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return {
        b["member"]["value"].rsplit("/", 1)[1]
        for b in json.loads(result.output)["results"]["bindings"]
    }


def test_members_in_year_binds_the_window():
    assert members_in("2011") == {"alphaland", "betaland", "deltaland", "gammaland"} - {"betaland"}
    assert "betaland" in members_in("2005")
    assert members_in("2000") == set()


def test_on_binds_a_day():
    result = run(
        "query", "members-in-year", "--on", "2012-12-19", "--param", "org=TA", "--data", EDGES
    )
    assert "Alphaland" not in result.output
    result = run(
        "query", "members-in-year", "--on", "2012-12-18", "--param", "org=TA", "--data", EDGES
    )
    assert "Alphaland" in result.output  # tables show labels


def test_changes_between_years():
    result = run(
        "query", "changes-between-years", "--param", "year1=2009", "--param", "year2=2013",
        "--param", "org=TA", "--format", "json", "--data", EDGES,
    )  # fmt: skip
    rows = json.loads(result.output)["results"]["bindings"]
    changes = {(r["change"]["value"], r["member"]["value"].rsplit("/", 1)[1]) for r in rows}
    assert ("left", "betaland") in changes
    assert ("left", "alphaland") in changes
    # participation frozen began in 2011: a change of role, as diff says, not a join
    assert ("role changed", "deltaland") in changes
    delta = next(r for r in rows if r["member"]["value"].endswith("deltaland"))
    assert (delta["roleBefore"]["value"], delta["roleAfter"]["value"]) == (
        "full member",
        "participation frozen",
    )


def test_conflicting_claims_lists_uzbekistan():
    result = run("query", "conflicting-claims", "--format", "csv")
    assert result.exit_code == 0
    assert "/id/nonmembership-uzbekistan-csto," in result.output


def test_ad_hoc_query_with_year_binding():
    text = (
        "SELECT ?m WHERE { ?r a cst:AllianceMembership ; org:member ?m ; schema:startDate ?s . "
        "OPTIONAL { ?r schema:endDate ?e } FILTER (?s < ?to && (!BOUND(?e) || ?e > ?from)) }"
    )
    result = run("query", text, "--year", "2014", "--data", EDGES)
    assert "Alphaland" not in result.output
    assert "Deltaland" in result.output


# conflicting claims --------------------------------------------------------------------------

CONFLICT = str(DATA / "conflicting-claims.ttl")


def test_validate_accepts_linked_conflicting_claims():
    assert run("validate", CONFLICT).exit_code == 0


def test_preferred_claim_only_by_default():
    args = ["members", "CSTO", "--on", "2011-05-01", "--role", "observer", "--data", CONFLICT]
    shown = json.loads(run(*args, "--format", "json").output)
    assert [r["id"] for r in shown] == ["cs:omega-depositary"]
    assert shown[0]["preferred"] is True
    every = json.loads(run(*args, "--claims", "all", "--format", "json").output)
    assert sorted(r["id"] for r in every) == ["cs:omega-depositary", "cs:omega-newspaper"]


def test_claims_all_changes_the_answer_at_the_disputed_date():
    args = ["members", "CSTO", "--on", "2011-03-15", "--role", "observer", "--data", CONFLICT]
    assert json.loads(run(*args, "--format", "json").output) == []
    every = json.loads(run(*args, "--claims", "all", "--format", "json").output)
    assert [(r["id"], r["certain"]) for r in every] == [("cs:omega-newspaper", False)]


def test_conflicts_command():
    result = run("conflicts", "--data", CONFLICT, "--format", "json")
    assert result.exit_code == 0
    groups = json.loads(result.output)
    omega = next(g for g in groups if any(c["id"] == "cs:omega-depositary" for c in g["claims"]))
    assert omega["resolved"] is True
    first, second = omega["claims"]
    assert (first["id"], first["preferred"]) == ("cs:omega-depositary", True)
    assert first["preference_reason"] == "The depositary's record is the primary source."
    assert (second["id"], second["preferred"]) == ("cs:omega-newspaper", False)
    table = run("conflicts", "--data", CONFLICT).output
    assert "The depositary's record is the primary source." in table
    assert "cs:nonmembership-uzbekistan-csto" in table  # the seed's self-contradiction


def test_conflicts_about_one_entity():
    groups = json.loads(run("conflicts", "Uzbekistan", "--format", "json").output)
    assert groups
    for group in groups:
        ids = set()
        for claim in group["claims"]:
            ids |= {claim.get("subject", {}).get("id"), claim.get("object", {}).get("id")}
            ids |= {(claim.get("organization") or {}).get("id")}  # a post of the state
            ids |= {p["id"] for p in claim.get("participants", [])}
        assert "cs:uzbekistan" in ids
    everything = json.loads(run("conflicts", "--format", "json").output)
    assert len(everything) > len(groups)
    assert_one_line_error(run("conflicts", "Atlantis"), 2, "no entity is called 'Atlantis'")


@pytest.mark.parametrize(
    "args",
    [
        ("members", "CSTO", "--year", "9999"),
        ("members", "CSTO", "--on", "9999-12-31"),
        ("relations", "--from", "9999"),
        ("diff", "2000", "9999"),
        ("metrics", "--from", "2000", "--to", "9999"),
    ],
    ids=["year", "on", "from", "diff", "metrics"],
)
def test_a_year_past_the_last_askable_is_bad_input(args):
    """The window of a year or day ends on the next one: 9999 has none, and says so."""
    result = run(*args)
    assert_one_line_error(result, 2, "'9999", "out of range", "9998 at most")


def test_the_last_askable_year_answers():
    result = run("members", "CSTO", "--year", "9998", "--format", "json")
    assert result.exit_code == 0, result.output
    assert {r["subject"]["label"] for r in json.loads(result.output)} >= {"Russia", "Belarus"}


def test_synth_refuses_a_size_past_its_bound(tmp_path):
    out = tmp_path / "x.ttl"
    result = run("synth", "--relations", "999999999999", "--out", str(out))
    assert result.exit_code == 2
    assert "10000000" in result.output and not out.exists()
