"""Opening the graph: the shipped ontology and data, plus the user's own RDF files.

Loading never touches the network: rdflib does not follow ``owl:imports``, and JSON-LD
files whose ``@context`` points at a URL are refused unless ``allow_network`` is set.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.plugins.stores.memory import Memory

from cstograph.errors import DataFileError, NetworkRefusedError
from cstograph.io import paths
from cstograph.io.compact_memory import CompactMemory
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


def _remote_contexts(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                items = value if isinstance(value, list) else [value]
                yield from (item for item in items if isinstance(item, str))
            yield from _remote_contexts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _remote_contexts(item)


def _check_offline(path: Path, fmt: str, text: str) -> None:
    if fmt == "json-ld":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataFileError(str(path), f"not JSON: {exc.msg}", exc.lineno) from None
        for context in _remote_contexts(document):
            raise NetworkRefusedError(
                f"{path}: JSON-LD @context {context!r} would be fetched from the network; "
                "inline the context or pass --allow-network"
            )
    elif fmt == "xml" and "<!DOCTYPE" in text:
        raise NetworkRefusedError(
            f"{path}: RDF/XML with a DOCTYPE may load external entities; remove it "
            "or pass --allow-network"
        )


def parse_file(graph: Graph, path: Path | str, *, allow_network: bool = False) -> None:
    """Parse one RDF file into ``graph``.

    Raises
    ------
    DataFileError
        The file is missing, has an unknown extension, or does not parse: the message
        names the file, the line where the parser stopped, and the parser's reason.
    NetworkRefusedError
        Parsing would fetch something from the network and ``allow_network`` is false.
    """
    path = Path(path)
    fmt = input_format(path).rdflib_parser
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(str(path), f"cannot read: {exc}") from None
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
        try:
            with cache.open("rb") as stream:
                cached = pickle.load(stream)
            if isinstance(cached, Graph):
                return cached
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass
    graph = new_graph()
    for path in files:
        parse_file(graph, path, allow_network=allow_network)
    if cache is not None:
        _write_cache(cache, graph)
    return graph


def _cache_file(files: list[Path], allow_network: bool) -> Path | None:
    """Where the parsed graph of exactly these files (by path, size and modification time)
    is cached, or None when caching is off (``CSTOGRAPH_CACHE=off``) or a file is missing.

    Parsing Turtle is most of a command's start-up; unpickling the parsed graph is about
    six times faster. The cache lives in ``$CSTOGRAPH_CACHE`` or ``$XDG_CACHE_HOME/cstograph``
    (``~/.cache/cstograph``) and only ever holds graphs this code parsed itself.
    """
    setting = os.environ.get("CSTOGRAPH_CACHE", "")
    if setting.lower() in ("off", "0", "no"):
        return None
    stamp = paths.fingerprint(files)
    if stamp is None:
        return None  # parse_file reports the missing file
    import rdflib

    from cstograph import __version__

    key = repr((stamp, allow_network, __version__, rdflib.__version__, sys.version_info[:2]))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    base = (
        Path(setting)
        if setting
        else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cstograph"
    )
    return base / f"graph-{digest}.pickle"


def _write_cache(path: Path, graph: Graph) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as stream:
            pickle.dump(graph, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written is no cache; the graph is still right


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
