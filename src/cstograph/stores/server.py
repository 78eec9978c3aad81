"""Serving an Oxigraph directory over the SPARQL protocol with the real Oxigraph server.

:func:`start_server` runs ``oxigraph serve-read-only --location DIR --bind HOST:PORT`` (the
binary the PyPI package ``oxigraph`` installs next to the Python interpreter), waits until it
answers, and returns a :class:`Server` handle with its endpoint URLs. The server binds the
loopback interface unless told otherwise, and a read-only server answers 403 to updates and
uploads. :meth:`Server.stop` terminates it and waits for the process to exit, so the port and
the directory are free when it returns; on Linux the server also dies with its parent.

No network behind the user's back
---------------------------------
The Oxigraph server performs the ``SERVICE`` calls of any query a client sends, and cannot be
told not to. Unless started with ``allow_network=True`` (``cstograph serve --allow-network``),
the server therefore listens on a loopback port of its own, and the address clients use belongs
to a small HTTP front in this process (:class:`Front`): it looks at every request's query (the
``query`` parameter of the URL or of a form body, or a ``application/sparql-query`` body), answers
``403`` to one that has a ``SERVICE`` keyword (found by the same token scan as ``cstograph
query``, \\u escapes expanded), and forwards everything else unchanged. ``FROM`` needs no check
here: the Oxigraph server reads it from the store's named graphs, never from the network.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING

from cstograph.errors import StoreError, StoreSpecError
from cstograph.stores.front import Front, refused_query

if TYPE_CHECKING:
    from cstograph.stores import StoreSpec

__all__ = [
    "Front",
    "Server",
    "free_port",
    "oxigraph_binary",
    "refused_query",
    "serving",
    "start_server",
]

LOOPBACK = "127.0.0.1"


def oxigraph_binary() -> Path:
    """The ``oxigraph`` server binary: next to ``sys.executable``, else on ``PATH``.

    Raises
    ------
    StoreError
        Neither exists (install the ``oxigraph`` package from PyPI).
    """
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise StoreError("the oxigraph server binary is not installed: pip install 'oxigraph~=0.5.13'")


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port nobody listens on at the moment (the OS picks it)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running Oxigraph server.

    Attributes
    ----------
    location
        The directory it serves.
    host, port
        Where it listens.
    process
        The server process.
    read_only
        Whether it was started with ``serve-read-only``.
    front
        The front that refuses ``SERVICE`` queries (see the module docstring); ``None``
        when the server was started with ``allow_network=True`` and clients reach the
        Oxigraph process directly.
    """

    location: Path
    host: str
    port: int
    process: subprocess.Popen[bytes] = field(repr=False)
    read_only: bool = True
    log: IO[bytes] | None = field(default=None, repr=False)
    front: Front | None = field(default=None, repr=False)

    def error_line(self) -> str:
        """The server's ``Error: ...`` line on stderr (its backtrace left out), if any."""
        if self.log is None or self.log.closed:
            return ""
        self.log.seek(0)
        lines = [x.strip() for x in self.log.read().decode("utf-8", "replace").splitlines()]
        errors = [x.removeprefix("Error:").strip() for x in lines if x.startswith("Error:")]
        return errors[0] if errors else next((x for x in lines if x), "")

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        """The SPARQL query endpoint (``/query``), what ``sparql:URL`` takes."""
        return self.base_url + "/query"

    @property
    def update_url(self) -> str:
        """The SPARQL update endpoint (refused by a read-only server)."""
        return self.base_url + "/update"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint (uploads refused by a read-only server)."""
        return self.base_url + "/store"

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def wait(self) -> int:
        """Block until the server exits; its exit code."""
        return self.process.wait()

    def run(self) -> None:
        """Block until the server exits (Ctrl-C raises ``KeyboardInterrupt`` as usual).

        Raises
        ------
        StoreError
            The server stopped on its own with an error (the message is its error line).
        """
        if self.wait():
            raise StoreError(f"the Oxigraph server stopped: {self.error_line()}")

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate the server (SIGTERM, then SIGKILL after ``timeout``) and wait for it."""
        if self.front is not None:
            self.front.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log is not None:
            self.log.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: ask for SIGTERM when the parent dies, so a killed caller leaves no server."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _check_port(host: str, port: int) -> None:
    """Raise OSError when something already listens on the port (its answers would pass
    for our server's)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        # as the server does: connections in TIME_WAIT do not hold the port, a listener does
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))


def _answers(url: str) -> bool:
    query = urllib.parse.urlencode({"query": "ASK {}"})
    request = urllib.request.Request(
        f"{url}?{query}", headers={"Accept": "application/sparql-results+json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=1.0) as response:
            return int(response.status) == 200
    except (OSError, urllib.error.URLError):
        return False


def start_server(
    location: Path | str,
    *,
    host: str = LOOPBACK,
    port: int | None = None,
    read_only: bool = True,
    timeout: float = 15.0,
    allow_network: bool = False,
) -> Server:
    """Start ``oxigraph serve-read-only`` (or ``serve``) on ``location`` and wait for it.

    Parameters
    ----------
    location
        An Oxigraph directory, e.g. built by :func:`cstograph.stores.load_files`.
    host
        The interface to bind: loopback unless you mean to serve other machines.
    port
        The TCP port; a free one when ``None``.
    read_only
        ``serve-read-only`` (the default: updates and uploads get 403); ``False`` runs
        ``serve``, which accepts them and must be the only process holding ``location``.
    timeout
        Seconds to wait for the first answer.
    allow_network
        Let clients' queries make ``SERVICE`` calls. By default they are refused (403) by a
        front on ``host:port`` in this process, which forwards every other request to the
        Oxigraph server on a loopback port of its own.

    Returns
    -------
    Server
        A handle; use it as a context manager, or call :meth:`Server.stop`.

    Raises
    ------
    StoreError
        The directory is missing, the binary is missing, or the server exited or did not
        answer in time (the message carries its last line of stderr: a port in use, a
        locked directory).
    """
    location = Path(location).absolute()
    if read_only and not (location / "CURRENT").is_file():
        what = "no such directory" if not location.exists() else "not an Oxigraph store"
        raise StoreError(f"oxigraph:{location}: {what}")
    binary = oxigraph_binary()
    front: Front | None = None
    try:
        if allow_network:
            if port is None:
                port = free_port(host)
            else:
                _check_port(host, port)
        else:
            front = Front(host, port or 0)  # binds now: the port is ours from here on
            port = front.port
    except OSError as exc:
        why = exc.strerror or " ".join(str(exc).split())
        where = f"{host}:{port}" if port else host
        raise StoreError(f"cannot serve on {where}: {why}") from None
    oxigraph_host = host if front is None else LOOPBACK
    oxigraph_port = port if front is None else free_port(LOOPBACK)
    bind = (
        f"[{oxigraph_host}]:{oxigraph_port}"
        if ":" in oxigraph_host
        else f"{oxigraph_host}:{oxigraph_port}"
    )
    shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    command = [
        str(binary),
        "serve-read-only" if read_only else "serve",
        "--location",
        str(location),
        "--bind",
        bind,
    ]
    # a file, not a pipe: a chatty server never blocks; closed by Server.stop()
    log = tempfile.TemporaryFile()  # noqa: SIM115
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=log,
        env={**os.environ, "RUST_BACKTRACE": "0"},
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    server = Server(location, host, port, process, read_only, log, front)
    host_part = f"[{oxigraph_host}]" if ":" in oxigraph_host else oxigraph_host
    direct = f"http://{host_part}:{oxigraph_port}/query"
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            why = server.error_line() or f"exit code {process.returncode}"
            server.stop()
            raise StoreError(f"the Oxigraph server on {shown} did not start: {why}")
        if _answers(direct):
            if front is not None:
                front.start((oxigraph_host, oxigraph_port))
            return server
        if time.monotonic() > deadline:
            server.stop()
            raise StoreError(f"the Oxigraph server on {shown} did not answer within {timeout:g} s")
        time.sleep(0.05)


@contextlib.contextmanager
def serving(
    spec: StoreSpec | str | None,
    data: Sequence[Path | str] = (),
    *,
    host: str = LOOPBACK,
    port: int | None = None,
    allow_network: bool = False,
) -> Iterator[Server]:
    """A read-only server for a store, stopped (and its scratch copy removed) on exit;
    queries calling ``SERVICE`` are refused unless ``allow_network`` (see
    :func:`start_server`).

    An ``oxigraph:DIR`` is served as it is; ``memory`` (the shipped graph and ``data``) from
    a temporary Oxigraph copy built with :func:`cstograph.stores.load_files`.

    Raises
    ------
    StoreSpecError
        ``spec`` is a SPARQL endpoint (served already), or ``data`` comes with a store other
        than memory (load the files into it first).
    StoreError
        The server does not start (see :func:`start_server`).
    """
    from cstograph.stores import load_files, parse_spec

    spec = parse_spec(spec) if spec is None or isinstance(spec, str) else spec
    if spec.kind == "sparql":
        raise StoreSpecError(f"{spec} is already a SPARQL endpoint: serve memory or oxigraph:DIR")
    if data and spec.kind != "memory":
        raise StoreSpecError(f"--data files cannot be served from {spec}: load them into it first")
    scratch: Path | None = None
    try:
        if spec.kind == "memory":
            scratch = Path(tempfile.mkdtemp(prefix="cstograph-serve-"))
            location = scratch / "store"
            load_files(f"oxigraph:{location}", data, allow_network=allow_network)
        else:
            assert spec.path is not None
            location = spec.path
        with start_server(location, host=host, port=port, allow_network=allow_network) as server:
            yield server
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
