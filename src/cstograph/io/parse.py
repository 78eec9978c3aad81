"""Opening the graph: the shipped ontology and data, plus the user's own RDF files.

Loading never touches the network: rdflib does not follow ``owl:imports``, and JSON-LD
files that would fetch a context (a ``@context`` that names a URL or a file, alone, in an
array or in a term definition, or an ``@import``) are refused unless ``allow_network`` is
set. Only regular files are read: a FIFO or a device is refused instead of read forever.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import pickle
import re
import secrets
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.plugins.stores.memory import Memory

from cstograph.errors import DataFileError, NetworkRefusedError
from cstograph.io import paths
from cstograph.io.compact_memory import CompactMemory
from cstograph.io.files import read_input
from cstograph.io.formats import input_format
from cstograph.model.terms import PREFIXES

__all__ = ["as_memory", "load", "parse_file"]


_LINE = re.compile(r"at line (\d+)")
_WHY = re.compile(r"Bad syntax \((.*?)\) at \^", re.DOTALL)


def new_graph(*, compact: bool = False) -> Graph:
    """An empty in-memory graph with the project's prefixes bound.

    ``compact=True`` gives a :class:`~cstograph.io.compact_memory.CompactMemory` store: no
    named graphs, two indexes instead of three and no per-triple dicts, so about a third of
    the memory and three times faster to fill, for a large graph mostly read by pattern
    lookups.
    """
    graph = Graph(store=CompactMemory() if compact else "default", bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def _remote_contexts(document: Any) -> Iterator[str]:
    """Every context a JSON-LD processor would fetch: string ``@context`` values (alone or in
    arrays, at any depth, in term definitions too) and ``@import`` values in context objects.

    Walks without recursion, so a deeply nested document cannot exhaust the stack.
    """
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    items = value if isinstance(value, list) else [value]
                    yield from (item for item in items if isinstance(item, str))
                elif key == "@import" and not isinstance(value, dict | list):
                    yield str(value)
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


def decode(path: Path | str, data: bytes) -> str:
    """``data`` read from ``path`` as UTF-8 text, or one-line :class:`DataFileError`
    naming the line and the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        raise DataFileError(str(path), f"not UTF-8 text (byte 0x{byte:02x})", line) from None


def _check_offline(path: Path, fmt: str, text: str) -> None:
    if fmt == "json-ld":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataFileError(str(path), f"not JSON: {exc.msg}", exc.lineno) from None
        except RecursionError:
            raise DataFileError(str(path), "JSON nested too deeply to read") from None
        for context in _remote_contexts(document):
            raise NetworkRefusedError(
                f"{path}: JSON-LD context {context!r} would be fetched from the network; "
                "inline the context or pass --allow-network"
            )
    elif fmt == "xml" and "<!DOCTYPE" in text:
        raise NetworkRefusedError(
            f"{path}: RDF/XML with a DOCTYPE may load external entities; remove it "
            "or pass --allow-network"
        )


def check_offline_file(path: Path, fmt: str) -> None:
    """Refuse a JSON-LD file with a remote context or an RDF/XML file with a DOCTYPE (see
    :func:`parse_file`), for readers that parse the file themselves (pyoxigraph).

    Raises
    ------
    DataFileError
        The file is not a regular file, not UTF-8, or not JSON.
    NetworkRefusedError
        Reading it would fetch something from the network.
    """
    if fmt in ("json-ld", "xml"):
        _check_offline(path, fmt, decode(path, read_input(path)))


def parse_file(graph: Graph, path: Path | str, *, allow_network: bool = False) -> None:
    """Parse one RDF file into ``graph``.

    Raises
    ------
    DataFileError
        The file is missing, is not a regular file (a FIFO, a device), is not UTF-8, has
        an unknown extension, or does not parse: the message names the file, the line
        where the parser stopped, and the parser's reason.
    NetworkRefusedError
        Parsing would fetch something from the network and ``allow_network`` is false.
    """
    path = Path(path)
    fmt = input_format(path).rdflib_parser
    text = decode(path, read_input(path))  # a regular file: a FIFO or /dev/zero is refused
    if not allow_network:
        _check_offline(path, fmt, text)
    try:
        graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        message = str(exc)
        line = _LINE.search(message)
        why = _WHY.search(message)
        raise DataFileError(
            str(path),
            why.group(1) if why else message.splitlines()[-1],
            int(line.group(1)) if line else None,
        ) from None
    except Exception as exc:  # rdflib's other parsers raise assorted types
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DataFileError(str(path), reason) from None


def load(
    extra_files: Iterable[Path | str] = (),
    *,
    include_graph: bool = True,
    include_ontology: bool = True,
    allow_network: bool = False,
) -> Graph:
    """Load the ontology and the shipped graph, plus the user's own RDF files.

    Parameters
    ----------
    extra_files
        More RDF files (Turtle, N-Triples, JSON-LD, RDF/XML, by extension).
    include_graph
        Load the shipped ``graph/*.ttl``.
    include_ontology
        Load ``ontology/cstograph.ttl`` (needed for class hierarchies and labels of terms).
    allow_network
        Allow a JSON-LD remote ``@context`` or an RDF/XML DOCTYPE.

    Returns
    -------
    rdflib.Graph
        One in-memory graph with every file's triples.

    Examples
    --------
    >>> from cstograph import load
    >>> from cstograph.model.terms import CS, CST, RDF
    >>> graph = load()
    >>> (CS.csto, RDF.type, CST.Alliance) in graph
    True
    """
    files = paths.input_files(
        extra_files, include_graph=include_graph, include_ontology=include_ontology
    )
    cache = _cache_file(files, allow_network)
    if cache is not None:
        cached = _read_cache(cache)
        if cached is not None:
            return cached
    graph = new_graph()
    for path in files:
        parse_file(graph, path, allow_network=allow_network)
    if cache is not None:
        _write_cache(cache, graph)
    return graph


# -- the parse cache: verified before it is unpickled -------------------------------------------

#: How many parsed graphs the cache keeps (the most recently used).
CACHE_ENTRIES = 8
_MAGIC = b"cstograph parse cache 2\n"
_KEY_NAME = "key"
_KEY_BYTES = 32
_MAC_BYTES = hashlib.sha256().digest_size


def _cache_directory() -> Path | None:
    """``$CSTOGRAPH_CACHE`` or ``$XDG_CACHE_HOME/cstograph``, or None when caching is off."""
    setting = os.environ.get("CSTOGRAPH_CACHE", "")
    if setting.lower() in ("off", "0", "no"):
        return None
    if setting:
        return Path(setting)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cstograph"


def _private(info: os.stat_result, *, directory: bool) -> bool:
    """Owned by this user and writable by nobody else (a key: readable by nobody else)."""
    kind = stat.S_ISDIR(info.st_mode) if directory else stat.S_ISREG(info.st_mode)
    others = 0o022 if directory else 0o077
    return kind and info.st_uid == os.getuid() and not info.st_mode & others


def _cache_key(directory: Path) -> bytes | None:
    """The per-user random key of the cache in ``directory``, created (mode 0600) on first
    use; None when the directory or the key could be written or read by another user."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(os.lstat(directory), directory=True):
            return None
        key_path = directory / _KEY_NAME
        if not os.path.lexists(key_path):
            fresh = directory / f".{_KEY_NAME}.{os.getpid()}.tmp"
            fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            try:
                os.write(fd, secrets.token_bytes(_KEY_BYTES))
            finally:
                os.close(fd)
            try:
                os.link(fresh, key_path)  # never replaces a key another process made first
            except FileExistsError:
                pass
            finally:
                fresh.unlink(missing_ok=True)
        fd = os.open(key_path, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            if not _private(os.fstat(fd), directory=False):
                return None
            key = os.read(fd, _KEY_BYTES + 1)
        finally:
            os.close(fd)
    except OSError:
        return None
    return key if len(key) == _KEY_BYTES else None


def _mac(key: bytes, path: Path, payload: bytes | None = None) -> Any:
    """The HMAC-SHA256 of a cache entry: its file name (an entry is good for those files
    only) and its pickle."""
    mac = hmac.new(key, path.name.encode("utf-8") + b"\0", hashlib.sha256)
    if payload is not None:
        mac.update(payload)
    return mac


def _read_cache(path: Path) -> Graph | None:
    """The graph cached at ``path`` if its HMAC verifies; None otherwise (missing, written
    by an older version, corrupted or tampered with: the caller parses the files again
    and rewrites it). Nothing is unpickled before it is verified."""
    key = _cache_key(path.parent)
    if key is None:
        return None
    try:
        with path.open("rb") as stream:
            data = stream.read()
    except OSError:
        return None
    head = len(_MAGIC) + _MAC_BYTES
    if len(data) <= head or not data.startswith(_MAGIC):
        return None
    expected = _mac(key, path, data[head:]).digest()
    if not hmac.compare_digest(expected, data[len(_MAGIC) : head]):
        return None
    try:
        cached = pickle.loads(data[head:])
    except Exception:  # written by this code, but perhaps by another version of rdflib
        return None
    if not isinstance(cached, Graph):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept when the cache is trimmed
    return cached


class _Signing:
    """A binary stream that feeds what is written through it into an HMAC."""

    def __init__(self, stream: BinaryIO, mac: Any) -> None:
        self.stream, self.mac = stream, mac

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.stream.write(data)


def _write_cache(path: Path, graph: Graph) -> None:
    """Write ``graph`` into the cache at ``path`` (magic, HMAC, pickle), then keep only the
    :data:`CACHE_ENTRIES` most recently used entries."""
    key = _cache_key(path.parent)
    if key is None:
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as stream:
            stream.write(_MAGIC + bytes(_MAC_BYTES))
            mac = _mac(key, path)
            pickle.dump(graph, _Signing(stream, mac), protocol=pickle.HIGHEST_PROTOCOL)
            stream.seek(len(_MAGIC))
            stream.write(mac.digest())
        os.replace(temporary, path)
    except Exception:  # pickling can fail in many ways: then there is no cache
        with contextlib.suppress(OSError):
            temporary.unlink()
        return  # a cache that cannot be written is no cache; the graph is still right
    _trim(path.parent)


def _trim(directory: Path) -> None:
    """Remove all but the :data:`CACHE_ENTRIES` most recently used entries, and temporary
    files an interrupted writer left more than an hour ago."""
    with contextlib.suppress(OSError):
        entries = []
        for entry in directory.glob("graph-*.pickle"):
            with contextlib.suppress(OSError):
                entries.append((entry.stat().st_mtime_ns, entry))
        entries.sort(reverse=True)
        for _, old in entries[CACHE_ENTRIES:]:
            with contextlib.suppress(OSError):
                old.unlink()
        hour_ago = time.time() - 3600
        for stale in directory.glob(".graph-*.tmp"):
            with contextlib.suppress(OSError):
                if stale.stat().st_mtime < hour_ago:
                    stale.unlink()


def _cache_file(files: list[Path], allow_network: bool) -> Path | None:
    """Where the parsed graph of exactly these files (by path, size and modification time)
    is cached, or None when caching is off (``CSTOGRAPH_CACHE=off``) or a file is missing.

    Parsing Turtle is most of a command's start-up; unpickling the parsed graph is about
    six times faster. The cache lives in ``$CSTOGRAPH_CACHE`` or ``$XDG_CACHE_HOME/cstograph``
    (``~/.cache/cstograph``). Each entry carries an HMAC-SHA256 under a random key kept
    (mode 0600) in the same directory, and is unpickled only when the HMAC verifies, so a
    changed or planted file is parsed over, never believed or run. A directory that other
    users can write, or a key they can read, turns the cache off.
    """
    base = _cache_directory()
    if base is None:
        return None
    stamp = paths.fingerprint(files)
    if stamp is None:
        return None  # parse_file reports the missing file
    import rdflib

    from cstograph import __version__

    key = repr(
        (stamp, allow_network, __version__, rdflib.__version__, sys.version_info[:2], _MAGIC)
    )
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return base / f"graph-{digest}.pickle"


def in_memory(graph: Graph) -> bool:
    """Whether rdflib holds the graph itself (rdflib's memory store or
    :class:`~cstograph.io.compact_memory.CompactMemory`), rather than an Oxigraph store or a
    SPARQL endpoint behind it.

    Examples
    --------
    >>> in_memory(new_graph()), in_memory(new_graph(compact=True))
    (True, True)
    """
    return isinstance(graph.store, Memory | CompactMemory)


def as_memory(graph: Graph) -> Graph:
    """The graph itself when it is in memory; otherwise an in-memory copy of a store's (an
    Oxigraph directory's, an endpoint's) default graph, fetched with one CONSTRUCT query.

    The temporal index, validation and the summaries read many small patterns: one query
    that copies the triples is far cheaper than thousands of requests to a store.
    """
    if in_memory(graph):
        return graph
    copy = new_graph()
    result = graph.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    for triple in result:
        copy.add(triple)  # type: ignore[arg-type]
    return copy
