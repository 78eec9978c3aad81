"""``query --param``: names must be SPARQL variable names, the network check runs on the final
text after binding, and a binding means the same on every store (subqueries, OPTIONAL, MINUS,
FILTER EXISTS); an empty query and an unreadable ``--file`` get one line. A listener on
127.0.0.1 counts the requests that would leak: it must count none."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from cstograph import stores
from cstograph.cli import cli
from cstograph.errors import NetworkRefusedError, QueryError
from cstograph.model.terms import PREFIXES
from cstograph.query.sparql import run_query
from cstograph.query.tokens import inject_values, services, tokens

CSTO = URIRef("https://w3id.org/cstograph/id/csto")


class Listener:
    """A TCP listener on 127.0.0.1 that counts connections (and answers none)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = int(self.sock.getsockname()[1])
        self.count = 0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.count += 1
            conn.close()

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(5)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    running.close()


@pytest.fixture(scope="module")
def ox_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An Oxigraph store of the shipped graph, built as a user would: ``cstograph load``."""
    location = tmp_path_factory.mktemp("params") / "store"
    result = CliRunner().invoke(cli, ["load", "--store", f"oxigraph:{location}"])
    assert result.exit_code == 0, result.output
    return location


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def one_line(result, code: int, message: str) -> None:
    assert (result.exit_code, result.stderr, result.stdout) == (code, f"Error: {message}\n", "")


# -- no network through a parameter ------------------------------------------------------------


def test_the_issue_injection_through_a_parameter_name(ox_store, listener):
    name = (
        f"org) {{ (UNDEF) }} SERVICE <http://127.0.0.1:{listener.port}/x> "
        "{ ?leak ?b ?c } VALUES (?zz"
    )
    result = run(
        "query",
        "SELECT ?org ?leak WHERE { ?org a cst:Alliance }",
        "--param",
        f"{name}=CSTO",
        "--store",
        f"oxigraph:{ox_store}",
    )
    one_line(
        result, 2, f"--param {name!r}: not a SPARQL variable name (letters, digits and _ only)"
    )
    assert listener.count == 0


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_run_query_checks_names_and_the_final_text(ox_store, listener, graph, store):
    target = graph if store == "memory" else stores.open_graph(f"oxigraph:{ox_store}")
    bad = f"x) }} SERVICE <{listener.url}> {{ ?a ?b ?c }} #"
    with pytest.raises(QueryError) as info:
        run_query(target, "SELECT ?x WHERE { ?x ?p ?o }", bindings={bad: Literal(1)})
    assert str(info.value) == f"cannot bind {bad!r}: not a SPARQL variable name"
    assert listener.count == 0


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?s ?p ?o . {{ SELECT ?s {{ service <{url}> {{ ?s ?q ?r }} }} }} }}",
    ],
)
def test_service_refused_on_a_store(ox_store, listener, query):
    text = query.format(url=listener.url)
    result = run("query", text, "--store", f"oxigraph:{ox_store}")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: SERVICE ")
    assert result.stderr.endswith(" would query the network; pass --allow-network to permit it\n")
    assert listener.count == 0


def test_service_check_ignores_strings_iris_comments_and_names():
    text = (
        'SELECT ?SERVICE WHERE { ?SERVICE rdfs:label "SERVICE <http://x/>" ; '
        "ex:SERVICE <http://x/SERVICE> } # SERVICE <http://x/>"
    )
    assert services(text) == []
    assert [t.kind for t in tokens("?a<?b")] == ["var", "punct", "var"]


# -- one meaning on every store ------------------------------------------------------------------

SHAPES = {
    "subquery": """SELECT ?member WHERE {
        { SELECT ?member WHERE { ?m org:member ?member ; org:organization ?org } } }""",
    "optional": """SELECT ?m ?o WHERE { ?m a cst:AllianceMembership .
        OPTIONAL { ?m org:organization ?o FILTER (?o = ?org) } }""",
    "minus": """SELECT ?m WHERE { ?m a cst:AllianceMembership
        MINUS { ?m org:organization ?org } }""",
    "filter-exists": """SELECT ?state WHERE { ?state a cst:State
        FILTER EXISTS { ?x org:member ?state ; org:organization ?org } }""",
    "filter-not-exists": """SELECT ?state WHERE { ?state a cst:State
        FILTER NOT EXISTS { ?x org:member ?state ; org:organization ?org } }""",
    "union": """SELECT ?x WHERE { { ?x org:organization ?org } UNION { ?org org:hasMember ?x } }""",
}


def cli_rows(*args: str) -> set[tuple[str, ...]]:
    result = run("query", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    names = data["head"]["vars"]
    return {
        tuple(b.get(n, {}).get("value", "") for n in names) for b in data["results"]["bindings"]
    }


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_parameter_binds_alike_in_memory_and_on_oxigraph(ox_store, graph, shape):
    text = SHAPES[shape]
    memory = cli_rows(text, "--param", "org=CSTO")
    oxigraph = cli_rows(text, "--param", "org=CSTO", "--store", f"oxigraph:{ox_store}")
    assert memory == oxigraph
    # the meaning is rdflib's initBindings: the value as if written in every group
    expected = graph.query(text, initNs=dict(PREFIXES), initBindings={"org": CSTO})
    assert memory == {tuple("" if v is None else str(v) for v in row) for row in expected}
    assert memory, f"{shape} should find something"


def test_a_subquery_is_bound_inside_not_only_joined_after(ox_store):
    bound = cli_rows(SHAPES["subquery"], "--param", "org=CSTO", "--store", f"oxigraph:{ox_store}")
    unbound = cli_rows(SHAPES["subquery"], "--store", f"oxigraph:{ox_store}")
    assert 0 < len(bound) < len(unbound)


def test_values_open_every_group_that_mentions_the_variable():
    text = inject_values(SHAPES["subquery"], {"org": CSTO})
    assert text.count("VALUES (?org)") == 2  # the WHERE clause and the subquery's
    text = inject_values(
        "CONSTRUCT { ?s a ?org } WHERE { ?s ?p ?o VALUES ?o { 1 } }", {"org": CSTO}
    )
    assert text.count("VALUES (?org)") == 1 and "CONSTRUCT { ?s a ?org }" in text


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ("SELECT ?x WHERE { ?x org:organization ?org }", "--param", "orgg=CSTO"),
            "--param orgg: the query has no ?orgg",
        ),
        (
            ("SELECT ?org WHERE { BIND (cs:csto AS ?org) }", "--param", "org=CSTO"),
            "the query assigns ?org itself (AS ?org): it cannot also be bound by a parameter",
        ),
        (
            ("CONSTRUCT WHERE { ?s org:organization ?org }", "--param", "org=CSTO"),
            "cannot bind variables in CONSTRUCT WHERE { ... }: "
            "write CONSTRUCT { template } WHERE { pattern }",
        ),
        (("SELECT ?x { ?x ?p ?o }", "--param", "?=CSTO"), "--param '?=CSTO': use NAME=VALUE"),
        (
            ("SELECT ?x { ?x ?p ?o }", "--param", "a-b=CSTO"),
            "--param 'a-b': not a SPARQL variable name (letters, digits and _ only)",
        ),
    ],
)
def test_parameter_errors(args, message):
    one_line(run("query", *args), 2, message)


# -- empty queries and unreadable files ------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n", "PREFIX ex: <http://e/>"])
def test_an_empty_query_is_not_called_an_update(text):
    one_line(
        run("query", text), 2, "the query is empty: no SELECT, ASK, CONSTRUCT or DESCRIBE in it"
    )


def test_a_query_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "q.rq"
    path.write_bytes(b'SELECT * WHERE {\n  ?s rdfs:label "\xff" }\n')
    one_line(
        run("query", "--file", str(path)),
        2,
        f"cannot read {path}: not UTF-8 text (byte 0xff on line 2)",
    )


def test_a_query_file_that_never_ends():
    one_line(run("query", "--file", "/dev/zero"), 2, "cannot read /dev/zero: larger than 16 MB")


def test_a_query_file_that_is_missing():
    one_line(
        run("query", "--file", "no/such.rq"), 2, "cannot read no/such.rq: No such file or directory"
    )


def test_from_is_still_refused_in_the_final_text(graph):
    with pytest.raises(NetworkRefusedError):
        run_query(graph, "SELECT * FROM <http://127.0.0.1:1/g> WHERE { ?s ?p ?org }",
                  bindings={"org": CSTO})  # fmt: skip
