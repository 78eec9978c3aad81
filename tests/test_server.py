"""The Oxigraph server: a real ``oxigraph serve-read-only`` process on 127.0.0.1, queried
through ``sparql:URL``, refusing updates; the ``serve`` command started and stopped with Ctrl-C.
Every process a test starts is stopped by it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cstograph import stores
from cstograph.cli.stores import register
from cstograph.errors import StoreError
from cstograph.model.terms import PREFIXES
from cstograph.stores.server import free_port, oxigraph_binary, start_server

from .test_stores import MEMBERS_2007, rows


@pytest.fixture(scope="module")
def shipped_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("served") / "shipped"
    stores.load_files(f"oxigraph:{location}", [])
    return location


@pytest.fixture(scope="module")
def server(shipped_store):
    with start_server(shipped_store) as running:
        yield running
    assert not running.running


def post(url: str, body: bytes, content_type: str) -> int:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_binary_is_the_venv_one():
    assert oxigraph_binary() == Path(sys.executable).parent / "oxigraph"


def test_server_listens_on_loopback(server):
    assert server.host == "127.0.0.1"
    assert server.url == f"http://127.0.0.1:{server.port}/query"


def test_server_answers_like_memory(server, graph):
    remote = stores.open_graph(f"sparql:{server.url}", timeout=10)
    assert len(remote) == len(graph)
    assert rows(remote, MEMBERS_2007, native=True) == rows(graph, MEMBERS_2007, native=True)
    ask = remote.query(
        "ASK { cs:kant-air-base schema:containedInPlace cs:kyrgyzstan }", initNs=PREFIXES
    )
    assert ask.askAnswer is True


def test_server_through_run_query(server, graph):
    remote = stores.open_graph(f"sparql:{server.url}", timeout=10)
    query = "SELECT ?base WHERE { ?base a cst:AirBase }"
    assert rows(remote, query, native=False) == rows(graph, query, native=True)


def test_server_refuses_updates(server):
    update = b"INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert post(server.update_url, update, "application/sparql-update") == 403
    upload = b"<urn:a> <urn:b> <urn:c> .\n"
    assert post(server.store_url + "?default", upload, "application/n-triples") == 403
    assert stores.triple_count(f"sparql:{server.url}") == stores.triple_count(
        f"oxigraph:{server.location}"
    )


def test_store_is_readable_while_served(server, graph):
    # a server holds the directory: other readers open it read-only
    assert len(stores.open_graph(f"oxigraph:{server.location}")) == len(graph)


def test_stop_frees_the_port(shipped_store):
    running = start_server(shipped_store)
    pid, port = running.process.pid, running.port
    running.stop()
    assert running.process.returncode is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is fine
        sock.bind(("127.0.0.1", port))  # free again


def test_port_in_use(server, shipped_store):
    with pytest.raises(StoreError) as info:
        start_server(shipped_store, port=server.port)
    assert str(info.value) == f"cannot serve on 127.0.0.1:{server.port}: Address already in use"


def test_missing_directory(tmp_path):
    with pytest.raises(StoreError) as info:
        start_server(tmp_path / "none")
    assert str(info.value) == f"oxigraph:{tmp_path / 'none'}: no such directory"


# -- the serve command ------------------------------------------------------------------------

SERVE = """
import sys
import click
from cstograph.cli.stores import register
group = click.Group("cstograph")
register(group)
group(sys.argv[1:], prog_name="cstograph")
"""


def serve(*args: str) -> tuple[subprocess.Popen[str], str]:
    """Start ``cstograph serve ARGS`` and read the endpoint URL it prints."""
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    if first.startswith("Serving"):
        assert process.stdout.readline() == "Ctrl-C to stop.\n"
    return process, first


def stop(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    process.send_signal(signal.SIGINT)
    try:
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, out, err


def test_serve_command_stops_on_ctrl_c(shipped_store, graph):
    port = free_port()
    process, first = serve("--store", f"oxigraph:{shipped_store}", "--port", str(port))
    try:
        url = f"http://127.0.0.1:{port}/query"
        assert first == f"Serving oxigraph:{shipped_store} read-only at {url}\n"
        remote = stores.open_graph(f"sparql:{url}", timeout=10)
        assert len(remote) == len(graph)
    finally:
        code, out, err = stop(process)
    assert (code, out, err) == (0, "Stopped.\n", "")
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is fine
        sock.bind(("127.0.0.1", port))  # the server is gone


def test_serve_command_memory_builds_a_temporary_store(graph, tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "<https://w3id.org/cstograph/id/x> <http://www.w3.org/2000/01/rdf-schema#label> 'x' .\n",
        encoding="utf-8",
    )
    process, first = serve("--port", "0", "--data", str(extra))
    try:
        assert first.startswith("Serving memory read-only at http://127.0.0.1:")
        url = first.split(" at ", 1)[1].strip()
        assert stores.triple_count(f"sparql:{url}") == len(graph) + 1
    finally:
        code, out, _ = stop(process)
    assert code == 0 and out.endswith("Stopped.\n")


@pytest.fixture
def group() -> click.Group:
    group = click.Group("cstograph")
    register(group)
    return group


@pytest.mark.parametrize(
    "args,message",
    [
        (["--store", "bogus"], "unknown store 'bogus': use memory, oxigraph:DIR or sparql:URL"),
        (
            ["--store", "sparql:http://127.0.0.1:1/query"],
            "sparql:http://127.0.0.1:1/query is already a SPARQL endpoint: "
            "serve memory or oxigraph:DIR",
        ),
    ],
)
def test_serve_command_errors(group, args, message):
    result = CliRunner().invoke(group, ["serve", *args])
    assert (result.exit_code, result.output) == (2, f"Error: {message}\n")


def test_serve_command_missing_directory(group, tmp_path):
    result = CliRunner().invoke(group, ["serve", "--store", f"oxigraph:{tmp_path / 'no'}"])
    assert (result.exit_code, result.output) == (
        3,
        f"Error: oxigraph:{tmp_path / 'no'}: no such directory\n",
    )
