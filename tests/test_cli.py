"""The command line through click's CliRunner: exit codes and output, error paths included."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cstograph.cli import cli

from .conftest import DATA


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def assert_one_line_error(result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize("command", ["info", "validate", "query"])
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage: cli " in result.output or "Usage: cstograph " in result.output


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.startswith("cstograph, version ")


def test_unknown_option_is_a_usage_error():
    result = run("info", "--no-such-option")
    assert result.exit_code == 2
    assert "No such option '--no-such-option'" in result.stderr


# info ---------------------------------------------------------------------------------------


def test_info_table_counts_relations_and_sources(graph):
    result = run("info")
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith(f"{len(graph)} triples; dated facts from ")
    for heading in ("entities", "relations", "events", "source"):
        assert any(line.startswith(heading) for line in result.output.splitlines())
    assert "cs:source-seed-000" in result.output


def test_info_json(graph):
    result = run("info", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["triples"] == len(graph)
    assert set(data["relations"]) == {
        "member-of",
        "not-member-of",
        "contributes-to-force",
        "hosts-base",
        "holds-office",
    }
    assert data["relations"]["member-of"] > 0
    assert data["first_date"] <= data["last_date"]


def test_info_with_user_file_adds_its_triples(graph):
    result = run("info", "--format", "json", "--data", str(DATA / "user-membership.ttl"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["triples"] > len(graph)
    assert any(s["id"] == "cs:source-user-notes" for s in data["sources"])


# validate -----------------------------------------------------------------------------------


def test_validate_shipped_graph_conforms():
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(": conforms.")


def test_validate_json_shape():
    result = run("validate", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["conforms"] is True
    assert data["shape_violations"] == [] and data["query_violations"] == []
    assert data["shapes_checked"] > 0 and data["checks_run"]


def test_validate_user_file_conforms():
    result = run("validate", str(DATA / "user-membership.ttl"))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", ["end-before-start.ttl", "no-source.ttl", "gyear-dates.ttl"])
def test_validate_reports_violations_with_exit_1(name):
    result = run("validate", str(DATA / name))
    assert result.exit_code == 1, result.output
    assert "violations" in result.output.splitlines()[0]
    assert "cs:membership-testland-csto" in result.output


def test_validate_json_lists_the_violation():
    result = run("validate", "--format", "json", str(DATA / "end-before-start.ttl"))
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["conforms"] is False
    focus = {v["focus"] for v in data["shape_violations"]}
    assert "cs:membership-testland-csto" in focus


def test_validate_malformed_turtle_names_file_and_line():
    path = DATA / "malformed.ttl"
    result = run("validate", str(path))
    assert_one_line_error(result, 2, f"{path}, line 5:", "newline found in string literal")


def test_validate_missing_file():
    result = run("validate", "no/such/file.ttl")
    assert_one_line_error(result, 2, "no/such/file.ttl: no such file")


def test_remote_jsonld_context_is_refused():
    result = run("info", "--data", str(DATA / "remote-context.jsonld"))
    assert_one_line_error(result, 2, "https://schema.org/", "--allow-network")


def test_unknown_extension_is_refused(tmp_path):
    path = tmp_path / "data.xyz"
    path.write_text("whatever")
    assert_one_line_error(run("info", "--data", str(path)), 2, "unknown RDF file extension")


# query --------------------------------------------------------------------------------------

SELECT_STATES = "SELECT ?state WHERE { ?state a cst:State } ORDER BY ?state"


def test_query_table_uses_labels_or_prefixed_names(graph):
    from cstograph.model.terms import CST, RDF

    result = run("query", SELECT_STATES)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "state"
    assert "Russia" in lines
    assert len(lines) - 2 == len(set(graph.subjects(RDF.type, CST.State)))
    # a term with no label keeps its prefixed name
    result = run("query", "SELECT DISTINCT ?p WHERE { cs:russia ?p ?o } ORDER BY ?p")
    assert "rdf:type" in result.output.splitlines()


def test_query_json_is_sparql_results():
    result = run("query", "--format", "json", SELECT_STATES)
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["head"]["vars"] == ["state"]
    values = [b["state"]["value"] for b in data["results"]["bindings"]]
    assert "https://w3id.org/cstograph/id/russia" in values
    assert values == sorted(values)


@pytest.mark.parametrize("fmt,sep", [("csv", ","), ("tsv", "\t")])
def test_query_csv_tsv(fmt, sep):
    result = run(
        "query",
        "--format",
        fmt,
        "SELECT ?s ?l WHERE { cs:russia rdfs:label ?l BIND(cs:russia AS ?s) }",
    )
    assert result.exit_code == 0
    header, row = result.output.splitlines()[:2]
    assert header.replace("?", "") == f"s{sep}l"
    assert "russia" in row.split(sep)[0]


def test_query_ask():
    assert run("query", "ASK { cs:csto a cst:Alliance }").output.strip() == "true"
    assert run("query", "ASK { cs:csto a cst:State }").output.strip() == "false"


def test_query_from_file(tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("# states\n" + SELECT_STATES + "\n")
    result = run("query", "--file", str(path))
    assert result.exit_code == 0
    assert "Russia" in result.output.splitlines()


def test_query_syntax_error_says_where():
    result = run("query", "SELECT ?x WHERE {\n  ?x ?y }")
    assert_one_line_error(result, 2, "SPARQL syntax error at line 2, column")


def test_query_unknown_prefix():
    assert_one_line_error(run("query", "SELECT * WHERE { ?s nope:p ?o }"), 2, "nope")


def test_query_service_is_refused():
    result = run("query", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert_one_line_error(result, 2, "SERVICE <http://example.org/sparql>", "--allow-network")


def test_query_from_clause_is_refused():
    result = run("query", "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }")
    assert_one_line_error(result, 2, "FROM", "--allow-network")


def test_query_update_is_refused():
    result = run("query", "INSERT DATA { cs:a cs:b cs:c }")
    assert_one_line_error(result, 2, "read-only")


def test_query_needs_text_or_file():
    result = run("query")
    assert result.exit_code == 2
    assert "give the query as TEXT, a NAME or with --file (one of them)" in result.stderr


def test_query_missing_file():
    result = run("query", "--file", "no/such.rq")
    assert result.exit_code == 2
    assert "cannot read no/such.rq" in result.stderr


# the plumbing every command shares ------------------------------------------------------------


def test_every_command_translates_library_errors():
    from cstograph.cli.command import Command

    assert all(isinstance(command, Command) for command in cli.commands.values())


def test_kind_choices_come_from_the_kinds_table(monkeypatch):
    from dataclasses import replace

    from cstograph.cli.options import KindChoice
    from cstograph.model import kinds

    toy = replace(kinds.KINDS[0], name="toy-of")
    monkeypatch.setattr(kinds, "KINDS", [*kinds.KINDS, toy])
    assert KindChoice().choices == kinds.kind_names()
    assert "toy-of" in KindChoice().choices


def test_year_commands_read_from_and_to_as_dates():
    args = ["metrics", "--org", "EAEU", "--metric", "members", "--format", "csv"]
    by_year = run(*args, "--from", "2014", "--to", "2016")
    by_date = run(*args, "--from", "2014-06", "--to", "2016-01-31")
    assert by_year.exit_code == 0, by_year.output
    assert by_date.output == by_year.output
    assert_one_line_error(run(*args, "--from", "2016-13"), 2, "is not a date")


def test_year_commands_default_to_the_data_span():
    from cstograph.analysis.snapshot import data_span
    from cstograph.index.history import History
    from cstograph.io.parse import load

    first, last = data_span(History(load()))
    result = run("metrics", "--metric", "russia_share", "--format", "json")
    assert result.exit_code == 0, result.output
    years = [row["year"] for row in json.loads(result.output)]
    assert (min(years), max(years)) == (first, last)
