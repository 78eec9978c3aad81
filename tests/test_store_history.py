"""The interval index read straight from an Oxigraph directory's quads
(:func:`cstograph.index.build.history_from_store`) answers exactly like the index of the whole
store copied into rdflib (``History(as_memory(open_graph(spec)))``), the way every temporal
command read a store before."""

from __future__ import annotations

import threading
import urllib.parse
from dataclasses import astuple
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import BNode

from cstograph import stores
from cstograph.analysis.snapshot import snapshot
from cstograph.cli import cli
from cstograph.errors import InputError, StoreError
from cstograph.index.build import history_from_store, load_history
from cstograph.index.conflicts import find_conflicts
from cstograph.index.history import History, Relation
from cstograph.io.parse import as_memory
from cstograph.io.synth import write_turtle
from cstograph.model.kinds import KINDS
from cstograph.model.terms import RDF
from cstograph.stores.server import start_server

from .test_cli import assert_one_line_error
from .test_fastload import SCATTERED


def record(r: Relation) -> tuple[object, ...]:
    """Every field of a relation, the hidden ranges and role IRI too."""
    return (*astuple(r), r.start_range, r.end_range, r.role_iri)


def records(history: History) -> list[tuple[object, ...]]:
    return sorted((record(r) for r in history.all_relations()), key=lambda t: (t[0], t[2]))


@pytest.fixture(scope="module")
def store_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Oxigraph directories built by ``cstograph load``: the shipped ontology and graph, a
    synthetic file on top of them, and the synthetic file alone (no ontology at all)."""
    base = tmp_path_factory.mktemp("store-history")
    synthetic = base / "synthetic.ttl"
    write_turtle(synthetic, 300, seed=11)
    dirs = {
        "shipped": base / "shipped",
        "synthetic": base / "synthetic",
        "synthetic-only": base / "synthetic-only",
    }
    stores.load_files(f"oxigraph:{dirs['shipped']}", [])
    stores.load_files(f"oxigraph:{dirs['synthetic']}", [synthetic])
    stores.load_files(f"oxigraph:{dirs['synthetic-only']}", [synthetic], shipped=False)
    return dirs


def both(path: Path, claims: str) -> tuple[History, History]:
    """The index read from the quads, and the one over the store's rdflib copy."""
    fast = history_from_store(stores.oxigraph.open_read_only(path), claims=claims)
    slow = History(as_memory(stores.open_graph(f"oxigraph:{path}")), claims=claims)
    return fast, slow


def relation_nodes(history: History) -> int:
    return sum(1 for cls in (k.cls for k in KINDS) for _ in history.graph.subjects(RDF.type, cls))


STORES = ["shipped", "synthetic", "synthetic-only"]


@pytest.mark.parametrize("claims", ["preferred", "all"])
@pytest.mark.parametrize("name", STORES)
def test_same_records(store_dirs: dict[str, Path], name: str, claims: str) -> None:
    fast, slow = both(store_dirs[name], claims)
    assert relation_nodes(fast) == 0 < relation_nodes(slow)  # the fast path, not a fallback
    assert records(fast) == records(slow)
    assert len(fast.all_relations()) >= (290 if name.startswith("synthetic") else 100)
    assert any(r.sources and r.sources[0].locator for r in fast.all_relations())
    assert any(r.personnel is not None for r in fast.all_relations())


@pytest.mark.parametrize("name", STORES)
def test_graph_is_the_copy_less_the_relation_nodes(store_dirs: dict[str, Path], name: str) -> None:
    """The same triples (terms typed as oxrdflib types them), but for those of relation nodes
    and their blank nodes."""
    fast, slow = both(store_dirs[name], "all")
    assert set(fast.graph) <= set(slow.graph)
    relations = {fast.iri(r.id) for r in fast.all_relations()}
    left_out = {s for s, _, _ in set(slow.graph) - set(fast.graph)}
    assert relations <= left_out
    assert all(isinstance(s, BNode) for s in left_out - relations)


def test_same_answers_shipped(store_dirs: dict[str, Path]) -> None:
    fast, slow = both(store_dirs["shipped"], "preferred")
    assert fast.members("CSTO", year=2007) == slow.members("CSTO", year=2007)
    assert fast.members("CSTO", year=2007)
    assert fast.timeline("Kant air base") == slow.timeline("Kant air base")
    assert fast.timeline("Armenia") == slow.timeline("Armenia")
    assert fast.diff(2005, 2013, org="CSTO") == slow.diff(2005, 2013, org="CSTO")
    assert fast.resolve("Q813") == slow.resolve("Q813")
    a, b = snapshot(fast, year=2010), snapshot(slow, year=2010)
    assert sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))


@pytest.mark.parametrize("name", ["synthetic", "synthetic-only"])
@pytest.mark.parametrize("claims", ["preferred", "all"])
def test_same_answers_synthetic(store_dirs: dict[str, Path], name: str, claims: str) -> None:
    fast, slow = both(store_dirs[name], claims)
    member = next(r for r in fast.all_relations() if r.kind == "member-of")
    org, state = member.object.id, member.subject.id
    for year in (1995, 2010, 2024):
        assert fast.members(org, year=year) == slow.members(org, year=year)
    assert fast.timeline(state) == slow.timeline(state)
    assert fast.timeline(org) == slow.timeline(org)
    assert fast.diff(2000, 2015, org=org) == slow.diff(2000, 2015, org=org)
    assert fast.diff("2005-06-30", "2020", kind="hosts-base") == slow.diff(
        "2005-06-30", "2020", kind="hosts-base"
    )


@pytest.mark.parametrize("name", STORES)
def test_conflicts_from_the_index(store_dirs: dict[str, Path], name: str) -> None:
    """Conflict groups, their claims and the reasons for preferences, from the index read
    straight from the quads (which keeps only the links and reasons of relation nodes)."""
    fast, slow = both(store_dirs[name], "all")
    groups = find_conflicts(fast)
    assert len(groups) >= 2
    assert groups == find_conflicts(slow.graph)
    if name == "shipped":
        assert any(c.reason for g in groups for c in g.claims)
        state = "Uzbekistan"
    else:
        state = next(
            c.record.subject.id for g in groups for c in g.claims if isinstance(c.record, Relation)
        )
    assert find_conflicts(fast, state) == find_conflicts(slow.graph, state)


def test_conflicts_refuse_an_index_of_preferred_claims() -> None:
    with pytest.raises(InputError, match="claims='all'"):
        find_conflicts(load_history())


@pytest.mark.parametrize(
    "extra", ["", "cs:src2 cst:about _:d2 .\n"], ids=["regular", "a shared blank node"]
)
def test_blank_nodes_anywhere_and_the_fallback(tmp_path: Path, extra: str) -> None:
    """Blank nodes before and after their relation nodes in the file; a blank node that a
    relation node and an entity both point to sends the store through the rdflib copy."""
    data = tmp_path / "scattered.ttl"
    data.write_text(SCATTERED + extra, encoding="utf-8")
    stores.load_files(f"oxigraph:{tmp_path / 'store'}", [data], shipped=False)
    fast, slow = both(tmp_path / "store", "all")
    assert records(fast) == records(slow)
    assert len(records(fast)) == 2
    assert (relation_nodes(fast) == 0) is (not extra)


def test_index_from_an_endpoint(store_dirs: dict[str, Path], tmp_path: Path) -> None:
    """``sparql:URL``: the index read from one CONSTRUCT answer by pyoxigraph equals the one
    over rdflib's copy, for every claim setting, and so do the conflict groups."""
    served = tmp_path / "served"
    stores.load_files(f"oxigraph:{served}", [store_dirs["synthetic"].parent / "synthetic.ttl"])
    with start_server(served) as server:
        graph = stores.open_graph(f"sparql:{server.url}")
        for claims in ("preferred", "all"):
            fast = stores.history_of(graph, claims=claims)
            slow = History(as_memory(graph), claims=claims)
            assert relation_nodes(fast) == 0 < relation_nodes(slow)  # not the fallback
            assert records(fast) == records(slow)
            assert len(records(fast)) > 300
        assert fast.timeline("Armenia") == slow.timeline("Armenia")
        groups = find_conflicts(fast)
        assert groups and groups == find_conflicts(as_memory(graph))


def test_endpoint_answer_in_pieces_falls_back(tmp_path: Path) -> None:
    """A blank node shared by a relation node and another subject: the endpoint's answer
    cannot be read node by node, and the rdflib copy gives the same records."""
    data = tmp_path / "scattered.ttl"
    data.write_text(SCATTERED + "cs:src2 cst:about _:d2 .\n", encoding="utf-8")
    stores.load_files(f"oxigraph:{tmp_path / 'store'}", [data], shipped=False)
    with start_server(tmp_path / "store") as server:
        graph = stores.open_graph(f"sparql:{server.url}")
        fast = stores.history_of(graph, claims="all")
        assert relation_nodes(fast) > 0  # the fallback
        assert records(fast) == records(History(as_memory(graph), claims="all"))
        assert len(records(fast)) == 2


class _Misbehaving(BaseHTTPRequestHandler):
    """An endpoint that answers ASK properly and CONSTRUCT with what ``server.answer`` says."""

    def do_POST(self) -> None:
        query = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])))
        text = query[b"query"][0].decode()
        media, body = (
            ("application/sparql-results+json", b'{"head": {}, "boolean": true}')
            if text.startswith("ASK")
            else self.server.answer  # type: ignore[attr-defined]
        )
        self.send_response(200)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (("text/html", b"<html>busy</html>"), "answered CONSTRUCT with text/html"),
        (("application/n-triples", b"<urn:a> <urn:b> .\n"), "CONSTRUCT answer does not parse"),
    ],
    ids=["not RDF", "broken N-Triples"],
)
def test_endpoint_answer_errors_are_one_line(answer: tuple[str, bytes], message: str) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Misbehaving)
    server.answer = answer  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/query"
    try:
        graph = stores.open_graph(f"sparql:{url}")
        with pytest.raises(StoreError) as info:
            stores.history_of(graph)
        result = run("members", "CSTO", "--year", "2007", "--store", f"sparql:{url}")
    finally:
        server.shutdown()
        server.server_close()
    assert str(info.value).startswith(f"{url}: {message}")
    assert "\n" not in str(info.value)
    assert_one_line_error(result, 3, message)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_cli_members_from_the_store(store_dirs: dict[str, Path]) -> None:
    memory = run("members", "CSTO", "--year", "2007", "--store", "memory")
    stored = run(
        "members", "CSTO", "--year", "2007", "--store", f"oxigraph:{store_dirs['shipped']}"
    )
    assert memory.exit_code == 0, memory.output
    assert stored.exit_code == 0, stored.output
    assert stored.output == memory.output
    assert "Armenia" in stored.output


def test_cli_store_from_the_environment(
    store_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTOGRAPH_STORE", f"oxigraph:{store_dirs['shipped']}")
    stored = run("diff", "2005", "2013", "--org", "CSTO", "--format", "json")
    monkeypatch.setenv("CSTOGRAPH_STORE", "memory")
    memory = run("diff", "2005", "2013", "--org", "CSTO", "--format", "json")
    assert stored.exit_code == 0, stored.output
    assert stored.output == memory.output


def test_cli_store_errors_stay_one_line(store_dirs: dict[str, Path], tmp_path: Path) -> None:
    missing = run("members", "CSTO", "--store", f"oxigraph:{tmp_path / 'nowhere'}")
    assert_one_line_error(missing, 3, "no such directory", "cstograph load")
    with_data = run(
        "members",
        "CSTO",
        "--store",
        f"oxigraph:{store_dirs['shipped']}",
        "--data",
        str(Path(__file__)),
    )
    assert_one_line_error(with_data, 2, "cstograph load")
    unknown = run("members", "Atlantis", "--store", f"oxigraph:{store_dirs['shipped']}")
    assert_one_line_error(unknown, 2, "Atlantis")


@pytest.mark.parametrize(
    "args",
    [
        ("metrics", "--from", "2005", "--to", "2008", "--format", "json"),
        ("relations", "--kind", "hosts-base", "--year", "2012", "--claims", "all"),
        ("timeline", "Kant air base", "--format", "csv"),
        ("conflicts", "Armenia", "--format", "json"),
        ("export", "--owl-time", "--format", "nt"),
    ],
    ids=["metrics", "relations", "timeline", "conflicts", "export-owl-time"],
)
def test_cli_other_commands_from_the_store(
    store_dirs: dict[str, Path], args: tuple[str, ...]
) -> None:
    memory = run(*args, "--store", "memory")
    stored = run(*args, "--store", f"oxigraph:{store_dirs['shipped']}")
    assert memory.exit_code == 0, memory.output
    assert stored.output == memory.output


def test_cli_snapshot_from_the_store(store_dirs: dict[str, Path], tmp_path: Path) -> None:
    written = []
    for spec in ("memory", f"oxigraph:{store_dirs['shipped']}"):
        out = tmp_path / f"{len(written)}.json"
        result = run("snapshot", "--year", "2010", "--out", str(out), "--store", spec)
        assert result.exit_code == 0, result.output
        written.append(out.read_text(encoding="utf-8"))
    assert written[0] == written[1]
