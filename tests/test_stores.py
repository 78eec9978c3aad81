"""Stores: specs, an Oxigraph directory built from the shipped graph, all-or-nothing loads
(a bad file, SIGKILL and Ctrl-C half-way), loading an endpoint over the Graph Store Protocol,
endpoint errors, the ``load`` command, and a toy backend in the registry. Real Oxigraph stores
and servers, no mocks."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.namespace import XSD

from cstograph import run_query, stores
from cstograph.cli.stores import register
from cstograph.errors import DataFileError, NetworkRefusedError, StoreError
from cstograph.index.table_history import TableHistory
from cstograph.io import paths
from cstograph.io.synth import write_turtle
from cstograph.model.terms import PREFIXES
from cstograph.query import named
from cstograph.stores.oxigraph import INDEX, fingerprint
from cstograph.stores.server import start_server

from .conftest import DATA

QUERY_FILES = sorted((Path(named.__file__).parent / "queries").glob("*.rq"))
MEMBERS_2007 = """
SELECT ?member ?start WHERE {
  ?m a cst:AllianceMembership ; org:member ?member ; org:organization cs:csto ;
     schema:startDate ?start .
  OPTIONAL { ?m schema:endDate ?end }
  FILTER (?start < "2008-01-01"^^xsd:date && (!BOUND(?end) || ?end > "2007-01-01"^^xsd:date))
}"""
EXTRA = """@prefix cs: <https://w3id.org/cstograph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
cs:test-extra rdfs:label "An extra node"@en .
"""


WINDOW = {
    "from": Literal("2007-01-01", datatype=XSD.date),
    "to": Literal("2008-01-01", datatype=XSD.date),
}
BINDINGS = {"changes-between-years": {"year1": Literal(2005), "year2": Literal(2010)}}


def rows(
    graph: Graph, text: str, *, native: bool, bindings: dict[str, Literal] | None = None
) -> set[tuple[str, ...]]:
    """The rows of a SELECT as n3 strings (blank nodes blanked), through the store's own
    engine (``native``) or through :func:`cstograph.run_query`."""
    bindings = bindings or {}
    result = (
        graph.query(text, initNs=PREFIXES, initBindings=bindings)
        if native
        else run_query(graph, text, bindings=bindings)
    )
    out = set()
    for row in result:
        out.add(tuple("_" if v is not None and v.n3().startswith("_:") else str(v) for v in row))
    return out


def listing(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(f".{path.name}.n"))


@pytest.fixture(scope="module")
def shipped_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An Oxigraph directory built from the shipped ontology and graph."""
    location = tmp_path_factory.mktemp("ox") / "shipped"
    stores.load_files(f"oxigraph:{location}", [])
    return location


@pytest.fixture
def small_store(tmp_path: Path) -> Path:
    location = tmp_path / "store"
    stores.load_files(f"oxigraph:{location}", [])
    return location


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic graph of a few thousand relations (about 1.5 MB): what a load has written
    into the new store when it is interrupted at its pause point."""
    path = tmp_path_factory.mktemp("synth") / "big.ttl"
    write_turtle(path, 3_000, seed=3)
    return path


# -- specs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,kind",
    [
        ("memory", "memory"),
        ("oxigraph:/data/x", "oxigraph"),
        ("sparql:http://127.0.0.1:7878/query", "sparql"),
        ("sparql:https://query.example.org/sparql", "sparql"),
    ],
)
def test_parse_spec(text, kind):
    spec = stores.parse_spec(text)
    assert spec.kind == kind
    assert str(spec) == text


@pytest.mark.parametrize(
    "text,message",
    [
        ("fuseki:x", "unknown store 'fuseki:x': use memory, oxigraph:DIR or sparql:URL"),
        ("oxigraph:", "store 'oxigraph:' has no DIR: use memory, oxigraph:DIR or sparql:URL"),
        ("sparql:ftp://x/q", "store 'sparql:ftp://x/q': the URL must be http:// or https://"),
        ("sparql:http://", "store 'sparql:http://': the URL must be http:// or https://"),
    ],
)
def test_bad_spec(text, message):
    with pytest.raises(StoreError) as info:
        stores.parse_spec(text)
    assert str(info.value).startswith(message)


def test_spec_from_environment(monkeypatch, tmp_path):
    assert stores.parse_spec(None, environ={}).kind == "memory"
    monkeypatch.setenv("CSTOGRAPH_STORE", f"oxigraph:{tmp_path}")
    assert stores.parse_spec(None).path == tmp_path
    assert stores.parse_spec("memory").kind == "memory"  # an explicit spec wins


# -- an Oxigraph directory answers like memory ----------------------------------------------


def test_oxigraph_store_has_the_shipped_graph(shipped_store, graph):
    ox = stores.open_graph(f"oxigraph:{shipped_store}")
    assert len(ox) == len(graph)
    assert stores.triple_count(f"oxigraph:{shipped_store}") == len(graph)


NAMED = [
    (p.stem, p.read_text(encoding="utf-8"), BINDINGS.get(p.stem, b))
    for p in QUERY_FILES
    for b in ({}, WINDOW)
]


# pyoxigraph 0.5's own engine substitutes only variables of the SELECT projection, so queries
# with bound parameters run through run_query (rdflib's engine over the Oxigraph store) only;
# giving them to the native engine as VALUES is left to the --store wiring.
CASES = [
    (native, name, query, bindings)
    for native in (True, False)
    for name, query, bindings in [("members-2007", MEMBERS_2007, {}), *NAMED]
    if not (native and bindings)
]


@pytest.mark.parametrize(
    "native,name,query,bindings",
    CASES,
    ids=[
        f"{'oxigraph-engine' if n else 'run_query'}-{name}{'-window' if 'from' in b else ''}"
        for n, name, _, b in CASES
    ],
)
def test_oxigraph_answers_like_memory(shipped_store, graph, name, query, bindings, native):
    ox = stores.open_graph(f"oxigraph:{shipped_store}")
    expected = rows(graph, query, native=True, bindings=bindings)
    assert expected, "the query should find something in the shipped graph"
    assert rows(ox, query, native=native, bindings=bindings) == expected


def test_open_missing_directory(tmp_path):
    with pytest.raises(StoreError, match=r"no such directory; build it with `cstograph load"):
        stores.open_graph(f"oxigraph:{tmp_path / 'nothing'}")


def test_open_directory_that_is_not_a_store(tmp_path):
    with pytest.raises(StoreError, match=r"not an Oxigraph store \(no CURRENT file\)"):
        stores.open_graph(f"oxigraph:{tmp_path}")


def test_data_files_are_not_added_at_read_time(shipped_store):
    with pytest.raises(StoreError, match=r"--data files cannot be added to oxigraph:"):
        stores.open_graph(f"oxigraph:{shipped_store}", [DATA / "malformed.ttl"])


# -- loading: all or nothing -------------------------------------------------------------------


def test_extend_a_store(small_store, tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA, encoding="utf-8")
    before = stores.triple_count(f"oxigraph:{small_store}")
    report = stores.load_files(f"oxigraph:{small_store}", [extra])
    assert (report.created, report.shipped_files, report.files) == (False, 0, [(str(extra), 1)])
    assert (report.triples_before, report.triples_after) == (before, before + 1)
    graph = stores.open_graph(f"oxigraph:{small_store}")
    assert rows(graph, "SELECT ?l WHERE { cs:test-extra rdfs:label ?l }", native=True) == {
        ("An extra node",)
    }
    assert listing(small_store) == []


def test_new_store_without_the_shipped_graph(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA, encoding="utf-8")
    report = stores.load_files(f"oxigraph:{tmp_path / 'db'}", [extra], shipped=False)
    assert report.created and report.triples_after == 1


def test_bad_file_leaves_the_store_unchanged(small_store, tmp_path):
    good = tmp_path / "good.ttl"
    good.write_text(EXTRA, encoding="utf-8")
    before = stores.triple_count(f"oxigraph:{small_store}")
    files_before = sorted(os.listdir(small_store))
    with pytest.raises(DataFileError) as info:
        stores.load_files(f"oxigraph:{small_store}", [good, DATA / "malformed.ttl"])
    assert str(info.value) == (
        f"{DATA / 'malformed.ttl'}, line 5: Line jumps are not allowed in string literals, use \\n"
    )
    assert "\n" not in str(info.value)
    assert stores.triple_count(f"oxigraph:{small_store}") == before
    assert sorted(os.listdir(small_store)) == files_before
    assert listing(small_store) == []


def test_missing_file_and_unknown_extension(small_store, tmp_path):
    with pytest.raises(DataFileError, match=r"nope\.ttl: no such file$"):
        stores.load_files(f"oxigraph:{small_store}", [tmp_path / "nope.ttl"])
    odd = tmp_path / "x.csv"
    odd.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"x\.csv: unknown RDF file extension"):
        stores.load_files(f"oxigraph:{small_store}", [odd])


def test_remote_jsonld_context_is_refused(small_store, tmp_path):
    doc = tmp_path / "remote.jsonld"
    doc.write_text('{"@context": "https://schema.org/", "@id": "x", "name": "y"}', "utf-8")
    with pytest.raises(NetworkRefusedError, match=r"would be fetched from the network"):
        stores.load_files(f"oxigraph:{small_store}", [doc])


def test_memory_cannot_be_loaded(tmp_path):
    with pytest.raises(StoreError, match="the memory store is rebuilt from files on every run"):
        stores.load_files("memory", [tmp_path / "x.ttl"])


LOADER = """
import sys
from cstograph.stores import load_files
load_files(sys.argv[1], [sys.argv[2]])
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "Ctrl-C"])
def test_interrupted_load_leaves_the_store_intact(small_store, big_file, how):
    spec = f"oxigraph:{small_store}"
    before = stores.triple_count(spec)
    answer = rows(stores.open_graph(spec), MEMBERS_2007, native=True)
    table = (small_store / INDEX / "meta.json").read_text(encoding="utf-8")
    members = stores.open_history(spec).members("CSTO", year=2007)
    # The loader stops half-way through building the new store (the copy and this file in
    # it, not yet swapped in), writes the marker and waits while it exists: the signal comes
    # at that known point, however fast or slow the machine.
    marker = small_store.parent / "paused"
    env = {**os.environ, "CSTOGRAPH_TEST_PAUSE_LOAD": str(marker)}
    process = subprocess.Popen([sys.executable, "-c", LOADER, spec, str(big_file)], env=env)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert marker.exists(), "the load never reached its pause point"
        assert listing(small_store), "the load never started building aside"
        assert process.poll() is None, "the load finished before it could be interrupted"
        process.send_signal(how)
        process.wait(30)  # Ctrl-C does not wait for the build, which stays paused
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode != 0
    assert stores.triple_count(spec) == before
    assert rows(stores.open_graph(spec), MEMBERS_2007, native=True) == answer
    # the relation table inside the store is the one it had, and still matches it
    assert (small_store / INDEX / "meta.json").read_text(encoding="utf-8") == table
    assert json.loads(table)["fingerprint"] == fingerprint(small_store)
    history = stores.open_history(spec)
    assert isinstance(history, TableHistory)
    assert history.members("CSTO", year=2007) == members
    # the next load removes whatever a killed one left, and works
    extra = small_store.parent / "extra.ttl"
    extra.write_text(EXTRA, encoding="utf-8")
    assert stores.load_files(spec, [extra]).triples_after == before + 1
    assert listing(small_store) == []


# -- a SPARQL endpoint -------------------------------------------------------------------------


@pytest.fixture
def writable_server(tmp_path):
    """A real ``oxigraph serve`` (read-write) on an empty directory, on 127.0.0.1."""
    with start_server(tmp_path / "served", read_only=False) as server:
        yield server
    assert not server.running


def test_load_into_an_endpoint(writable_server, graph, tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA, encoding="utf-8")
    spec = f"sparql:{writable_server.url}"
    report = stores.load_files(spec, [extra])
    assert report.created and report.shipped_files == len(paths.graph_files()) + 1
    assert report.triples_after == len(graph) + 1
    remote = stores.open_graph(spec, timeout=10)
    assert rows(remote, MEMBERS_2007, native=True) == rows(graph, MEMBERS_2007, native=True)
    # an endpoint that has data does not get the shipped graph again
    again = stores.load_files(spec, [extra])
    assert again.shipped_files == 0 and again.triples_after == len(graph) + 1


def test_endpoint_with_a_bad_file_is_unchanged(writable_server):
    spec = f"sparql:{writable_server.url}"
    with pytest.raises(DataFileError):
        stores.load_files(spec, [DATA / "malformed.ttl"])
    assert stores.triple_count(spec) == 0


def test_graph_store_url_needs_oxigraph_layout():
    with pytest.raises(StoreError, match=r"pass it with --graph-store URL"):
        stores.graph_store_url("http://127.0.0.1:3030/ds/sparql")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_endpoint_is_one_line():
    url = f"http://127.0.0.1:{closed_port()}/query"
    with pytest.raises(StoreError) as info:
        stores.open_graph(f"sparql:{url}", timeout=2)
    assert str(info.value) == f"{url}: cannot connect: [Errno 111] Connection refused"


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield int(sock.getsockname()[1])


def test_endpoint_timeout_is_one_line(silent_port):
    url = f"http://127.0.0.1:{silent_port}/query"
    started = time.monotonic()
    with pytest.raises(StoreError) as info:
        stores.open_graph(f"sparql:{url}", timeout=0.5)
    assert str(info.value) == f"{url}: no answer within 0.5 s"
    assert time.monotonic() - started < 5


def test_endpoint_http_error_is_one_line(shipped_store):
    with start_server(shipped_store) as server:
        url = server.base_url + "/nothing-here"
        with pytest.raises(StoreError) as info:
            stores.open_graph(f"sparql:{url}", timeout=5)
    assert str(info.value).startswith(f"{url}: HTTP 404 Not Found")
    assert "\n" not in str(info.value)


# -- the load command ------------------------------------------------------------------------


@pytest.fixture
def group() -> click.Group:
    group = click.Group("cstograph")
    register(group)
    return group


def test_load_command(group, tmp_path, graph):
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA, encoding="utf-8")
    location = tmp_path / "db"
    result = CliRunner().invoke(group, ["load", str(extra), "--store", f"oxigraph:{location}"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{extra}: 1 triples"
    assert lines[1] == f"shipped ontology and graph: {len(paths.graph_files()) + 1} files"
    assert lines[2].startswith(f"Created oxigraph:{location}: 0 -> {len(graph) + 1} triples in ")


def test_load_command_reads_the_environment(group, tmp_path, monkeypatch):
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA, encoding="utf-8")
    monkeypatch.setenv("CSTOGRAPH_STORE", f"oxigraph:{tmp_path / 'db'}")
    result = CliRunner().invoke(group, ["load", str(extra), "--no-shipped"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith(f"Created oxigraph:{tmp_path / 'db'}: 0 -> 1")


@pytest.mark.parametrize(
    "args,message",
    [
        (
            ["--store", "nosuch:x"],
            "unknown store 'nosuch:x': use memory, oxigraph:DIR or sparql:URL",
        ),
        (
            ["--store", "memory"],
            "the memory store is rebuilt from files on every run; "
            "load into --store oxigraph:DIR or --store sparql:URL",
        ),
    ],
)
def test_load_command_errors(group, args, message):
    result = CliRunner().invoke(group, ["load", str(DATA / "malformed.ttl"), *args])
    assert (result.exit_code, result.output) == (2, f"Error: {message}\n")


def test_load_command_bad_file(group, small_store):
    bad = DATA / "malformed.ttl"
    result = CliRunner().invoke(group, ["load", str(bad), "--store", f"oxigraph:{small_store}"])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {bad}, line 5: Line jumps are not allowed in string literals, use \\n\n"
    )


def test_load_command_unreachable_url(group, silent_port):
    url = f"http://127.0.0.1:{silent_port}/query"
    result = CliRunner().invoke(
        group, ["load", str(DATA / "malformed.ttl"), "--store", f"sparql:{url}", "--timeout", "0.3"]
    )
    # the file is checked first: a bad file is reported before the endpoint is contacted
    assert result.exit_code == 2 and "malformed.ttl, line 5" in result.output
    good = Path(paths.graph_files()[0])
    result = CliRunner().invoke(
        group, ["load", str(good), "--store", f"sparql:{url}", "--timeout", "0.3"]
    )
    assert (result.exit_code, result.output) == (3, f"Error: {url}: no answer within 0.3 s\n")


# -- the registry ------------------------------------------------------------------------------


class ToyBackend:
    """A backend in a few lines: ``toy:NAME`` opens an empty graph and cannot be loaded."""

    scheme = "toy"
    argument = "NAME"
    cannot_load = "toys are read-only"

    def parse(self, text, rest):
        return stores.StoreSpec("toy", url=rest)

    def open(self, spec, files, *, allow_network, timeout):
        return Graph(identifier=spec.url)

    def count(self, spec, *, timeout):
        return 0

    def history(self, spec, files, *, allow_network, timeout, claims):
        from cstograph.index.build import build_index

        return build_index(self.open(spec, files, allow_network=False, timeout=1), claims=claims)

    def load(self, spec, files, *, shipped, graph_store, timeout, report):
        raise AssertionError("never called: cannot_load is set")


def test_a_registered_backend_is_used_everywhere(monkeypatch):
    monkeypatch.setitem(stores.BACKENDS, "toy", ToyBackend())
    assert str(stores.parse_spec("toy:box")) == "toy:box"
    assert str(stores.open_graph("toy:box").identifier) == "box"
    assert stores.triple_count("toy:box") == 0
    assert stores.open_history("toy:box").all_relations() == []
    with pytest.raises(StoreError) as info:
        stores.parse_spec("x")
    assert str(info.value) == "unknown store 'x': use memory, oxigraph:DIR, sparql:URL or toy:NAME"
    with pytest.raises(StoreError, match=r"^toys are read-only; load into --store oxigraph:DIR or"):
        stores.load_files("toy:box", [])
