"""Every store gives the same answers: the temporal commands and the named-query suite
against memory, an Oxigraph directory, a real `oxigraph serve-read-only` process and a real
Virtuoso server (the second SPARQL engine), both on 127.0.0.1, started and stopped by this
module."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cstograph import stores
from cstograph.cli import cli
from cstograph.io.parse import load
from cstograph.query.named import named_queries
from cstograph.stores.server import start_server

from .virtuoso import start_virtuoso


@pytest.fixture(scope="module")
def specs(tmp_path_factory: pytest.TempPathFactory):
    """The four stores, each holding the shipped ontology and graph."""
    base = tmp_path_factory.mktemp("stores")
    local = base / "local"
    served = base / "served"
    stores.load_files(f"oxigraph:{local}", [])
    stores.load_files(f"oxigraph:{served}", [])
    bulk = base / "virtuoso" / "shipped.nt"
    bulk.parent.mkdir()
    load().serialize(bulk, format="nt", encoding="utf-8")
    with start_server(served) as server, start_virtuoso(bulk.parent, [bulk]) as virtuoso:
        yield {
            "memory": "memory",
            "oxigraph": f"oxigraph:{local}",
            "sparql": f"sparql:{server.url}",
            "virtuoso": f"sparql:{virtuoso}",
        }


def answer(spec: str, *args: str) -> object:
    result = CliRunner().invoke(cli, [*args, "--format", "json", "--store", spec])
    assert result.exit_code == 0, (spec, args, result.output)
    return json.loads(result.output)


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term(value: dict[str, str]) -> str:
    """One result term; blank node labels differ between engines, and a plain literal is
    an xsd:string whether or not the engine writes its datatype (RDF 1.1)."""
    if value["type"] == "bnode":
        return "_"
    datatype = value.get("datatype", "")
    if value["type"] == "literal" and not datatype and "xml:lang" not in value:
        datatype = XSD_STRING
    return f"{value['value']}|{datatype}|{value.get('xml:lang', '')}"


def rows(data: object) -> list[tuple[tuple[str, str], ...]]:
    """SPARQL JSON results as sorted rows of comparable terms."""
    assert isinstance(data, dict)
    if "boolean" in data:
        return [(("boolean", str(data["boolean"])),)]
    found = []
    for binding in data["results"]["bindings"]:
        found.append(tuple(sorted((k, term(v)) for k, v in binding.items())))
    return sorted(found)


TEMPORAL = [
    ("members", "CSTO", "--year", "2007"),
    ("members", "CSTO", "--on", "2024-02-22", "--role", "all"),
    ("members", "EAEU", "--from", "2015", "--to", "2016", "--claims", "all"),
    ("relations", "--kind", "hosts-base", "--on", "2012-12-09"),
    ("relations", "--subject", "Uzbekistan", "--year", "2006"),
    ("timeline", "Armenia"),
    ("diff", "2005", "2013", "--org", "CSTO"),
    ("conflicts", "Uzbekistan"),
    ("timeline", "Kazakhstan", "--year", "2022"),
    ("events", "--year", "2022"),
    ("events", "--type", "operation", "--org", "CSTO", "--claims", "all"),
    ("search", "Gabala"),
    ("source", "cs:source-rt-2012-kyrgyz-base"),
    ("sources",),
    ("info",),
]


@pytest.mark.parametrize("args", TEMPORAL, ids=[" ".join(a) for a in TEMPORAL])
def test_temporal_answers_agree(specs, args):
    expected = answer(specs["memory"], *args)
    assert expected
    assert answer(specs["oxigraph"], *args) == expected
    assert answer(specs["sparql"], *args) == expected
    assert answer(specs["virtuoso"], *args) == expected


def named_cases() -> list[tuple[str, ...]]:
    cases = []
    for query in named_queries().values():
        params = [f"--param={p.name}=2009" for p in query.params if p.required]
        cases.append((query.name, *params))
        if query.uses_window:
            cases.append((query.name, *params, "--year", "2010"))
            cases.append((query.name, *params, "--on", "2024-02-22"))
    cases.append(("members-in-year", "--param", "org=CSTO", "--from", "2003", "--to", "2006"))
    cases.append(("bases-by-host", "--param", "host=Kyrgyz Republic"))
    return cases


@pytest.mark.parametrize("args", named_cases(), ids=[" ".join(c) for c in named_cases()])
def test_named_queries_agree(specs, args):
    expected = rows(answer(specs["memory"], "query", *args))
    assert rows(answer(specs["oxigraph"], "query", *args)) == expected
    assert rows(answer(specs["sparql"], "query", *args)) == expected
    assert rows(answer(specs["virtuoso"], "query", *args)) == expected


def test_the_suite_finds_something(specs):
    """The comparison is not between empty answers."""
    found = rows(answer(specs["sparql"], "query", "members-in-year", "--year", "2010"))
    assert len(found) > 20


def test_ad_hoc_query_with_window_agrees(specs):
    text = (
        "SELECT ?m ?o WHERE { ?r a cst:AllianceMembership ; org:member ?m ; "
        "org:organization ?o ; schema:startDate ?s . OPTIONAL { ?r schema:endDate ?e } "
        "FILTER (?s < ?to && (!BOUND(?e) || ?e > ?from)) }"
    )
    expected = rows(answer(specs["memory"], "query", text, "--year", "1995"))
    assert expected
    for spec in ("oxigraph", "sparql", "virtuoso"):
        assert rows(answer(specs[spec], "query", text, "--year", "1995")) == expected


def test_data_files_need_a_load_first(specs):
    result = CliRunner().invoke(
        cli, ["info", "--store", specs["oxigraph"], "--data", str(Path(__file__))]
    )
    assert result.exit_code == 2
    assert "cstograph load" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ASK { cs:csto a cst:Alliance }", True), ("ASK { cs:csto a cst:State }", False)],
)
def test_ask_is_a_boolean_on_every_engine(specs, text, expected):
    """Virtuoso answers ASK as a one-row table of __ASK_RETVAL; it reads as the boolean."""
    for spec in ("memory", "oxigraph", "sparql", "virtuoso"):
        assert answer(specs[spec], "query", text) == {"head": {}, "boolean": expected}, spec
