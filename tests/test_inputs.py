"""Inputs that must give one line, not a request, a hang or a traceback: JSON-LD files that
would fetch a context (``@import``, nested, in arrays, in term definitions), a FIFO or
``/dev/zero`` as a data file, deeply nested JSON, a store URL that is not a URL. A listener on
127.0.0.1 counts the requests: without ``--allow-network`` it must count none."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cstograph.cli import cli

from .test_query_safety import Listener

SRC = str(Path(__file__).resolve().parent.parent / "src")


@pytest.fixture
def listener():
    running = Listener()
    yield running
    running.close()


def contexts(url: str) -> dict[str, object]:
    """JSON-LD documents that each fetch ``url`` as a context, in a different place."""
    node = {"@id": "https://w3id.org/cstograph/id/x", "http://schema.org/name": "x"}
    return {
        "import": {"@context": {"@import": url, "name": "http://schema.org/name"}, **node},
        "array": {"@context": [{"name": "http://schema.org/name"}, url], **node},
        "nested": {"@graph": [{"@context": url, **node}]},
        "scoped": {
            "@context": {"knows": {"@id": "http://schema.org/knows", "@context": url}},
            **node,
        },
        "import-in-array": {"@context": [{"@import": url}], **node},
    }


def write_jsonld(tmp_path: Path, name: str, document: object) -> Path:
    path = tmp_path / f"{name}.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


COMMANDS = {
    "validate": lambda path: ["validate", str(path)],
    "info --data": lambda path: ["info", "--data", str(path)],
    "members --data": lambda path: ["members", "CSTO", "--data", str(path)],
}


@pytest.mark.parametrize("where", sorted(contexts("http://x")))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_remote_jsonld_contexts_are_never_fetched(tmp_path, listener, where, command):
    url = f"http://127.0.0.1:{listener.port}/context.jsonld"
    path = write_jsonld(tmp_path, where, contexts(url)[where])
    result = run(*COMMANDS[command](path))
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {path}: JSON-LD context {url!r} would be fetched from the network; "
        "inline the context or pass --allow-network\n",
    )
    assert listener.count == 0


def test_load_never_fetches_an_imported_context(tmp_path, listener):
    url = f"http://127.0.0.1:{listener.port}/context.jsonld"
    path = write_jsonld(tmp_path, "import", contexts(url)["import"])
    store = tmp_path / "store"
    result = run("load", str(path), "--store", f"oxigraph:{store}")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}: JSON-LD context {url!r} would be fetched")
    assert listener.count == 0 and not store.exists()


def test_with_allow_network_the_import_is_fetched(tmp_path, listener):
    # the control: the same file does reach the listener when the user allows it
    url = f"http://127.0.0.1:{listener.port}/context.jsonld"
    path = write_jsonld(tmp_path, "import", contexts(url)["import"])
    result = run("info", "--data", str(path), "--allow-network")
    assert result.exit_code == 2  # the listener answers nothing
    assert len(result.stderr.splitlines()) == 1
    assert listener.count >= 1


def test_deeply_nested_json_is_one_line(tmp_path):
    path = tmp_path / "deep.jsonld"
    path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    result = run("validate", str(path))
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {path}: JSON nested too deeply to read\n",
    )


def test_a_data_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.ttl"
    path.write_bytes(b'@prefix ex: <http://e/> .\nex:a ex:b "caf\xe9" .\n')
    result = run("info", "--data", str(path))
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {path}, line 2: not UTF-8 text (byte 0xe9)\n",
    )


# -- FIFOs and devices: refused, never read --------------------------------------------------


def cstograph(*args: str) -> subprocess.CompletedProcess[str]:
    """A real process with a deadline: a read that hangs fails the test instead of the run."""
    return subprocess.run(
        [sys.executable, "-m", "cstograph", *args],
        env={**os.environ, "PYTHONPATH": SRC},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "pipe.ttl"
    os.mkfifo(path)
    return path


@pytest.fixture
def zero(tmp_path) -> Path:
    path = tmp_path / "zero.ttl"
    path.symlink_to("/dev/zero")
    return path


INPUT_COMMANDS = [
    ["validate"],
    ["info", "--data"],
    ["members", "CSTO", "--data"],
    ["load", "--store", "oxigraph:{tmp}/store"],
]


@pytest.mark.parametrize("kind", ["fifo", "zero"])
@pytest.mark.parametrize("command", INPUT_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_fifo_or_dev_zero_is_refused(request, tmp_path, kind, command):
    path = request.getfixturevalue(kind)
    args = [a.format(tmp=tmp_path) for a in command] + [str(path)]
    done = cstograph(*args)
    what = "a FIFO" if kind == "fifo" else "a character device"
    assert (done.returncode, done.stderr, done.stdout) == (
        2,
        f"Error: {path}: not a regular file ({what})\n",
        "",
    )


# -- store specs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec,why",
    [("sparql:http://[::1", "Invalid IPv6 URL"), ("sparql:http://h:port/q", "Port could not")],
)
def test_a_store_url_that_is_not_a_url(spec, why):
    # a spec that does not parse is bad input (StoreSpecError): exit 2, not 3
    result = run("info", "--store", spec)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: store {spec!r}: not a URL: {why}")
    assert len(result.stderr.splitlines()) == 1
