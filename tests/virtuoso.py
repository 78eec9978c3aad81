"""A real Virtuoso Open Source server on 127.0.0.1 for the store-equivalence tests: the
second SPARQL engine beside Oxigraph (Debian's ``virtuoso-opensource-7-bin``, which
``make test`` installs when it is missing).

:func:`start_virtuoso` makes a fresh database in a directory of its own, on free ports, bulk
loads N-Triples files with Virtuoso's own loader (``DB.DBA.TTLP_MT`` through ``isql-vt``)
into one graph, and gives the query endpoint with that graph as its default.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
ISQL = shutil.which("isql-vt") or "/usr/bin/isql-vt"
GRAPH = "urn:cstograph:test"

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
ServerThreads = 4
CheckpointInterval = 0
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {dir}
DefaultIsolation = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {dir}
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    body = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    request = urllib.request.Request(url, data=body, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _lines(path: Path) -> int:
    """Triples in an N-Triples file (one per non-blank line)."""
    with path.open(encoding="utf-8") as stream:
        return sum(1 for line in stream if line.strip() and not line.startswith("#"))


def _count(url: str) -> int:
    body = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    request = urllib.request.Request(
        url, data=body.encode(), headers={"Accept": "text/csv"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(response.read().decode().split()[-1])


@contextlib.contextmanager
def start_virtuoso(directory: Path, files: list[Path]) -> Iterator[str]:
    """Start Virtuoso in ``directory`` with ``files`` (N-Triples) loaded; yield the query
    endpoint URL (the loaded graph as its default graph); stop it afterwards."""
    directory.mkdir(parents=True, exist_ok=True)
    sql, http = _free_port(), _free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(_INI.format(dir=directory, sql=sql, http=http), encoding="utf-8")
    process = subprocess.Popen(
        [VIRTUOSO, "-f", "-c", str(ini)],
        cwd=directory,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{http}/sparql"
    try:
        deadline = time.monotonic() + 120
        while not _answers(endpoint):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (directory / "virtuoso.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"Virtuoso did not start:\n{log}")
            time.sleep(0.3)
        for path in files:
            statement = (
                f"DB.DBA.TTLP_MT(file_to_string_output('{path}'), '', '{GRAPH}', 0); checkpoint;"
            )
            done = subprocess.run(
                [ISQL, f"127.0.0.1:{sql}", "dba", "dba", f"exec={statement}"],
                capture_output=True,
                text=True,
                timeout=300,
            )
            if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
                raise RuntimeError(f"Virtuoso could not load {path}: {done.stdout}{done.stderr}")
        url = f"{endpoint}?default-graph-uri={urllib.parse.quote(GRAPH, safe='')}"
        expected = sum(_lines(path) for path in files)
        while (found := _count(url)) != expected:  # TTLP_MT's threads may still be inserting
            if time.monotonic() > deadline:
                raise RuntimeError(f"Virtuoso holds {found} triples, not {expected}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
