"""Where the shipped ontology, shapes, violation queries and graph files are.

An installed wheel carries them under ``cstograph/data/``; a source checkout (editable
install, or running from the tree) has them at the repository root.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


@cache
def data_root() -> Path:
    """The directory holding ``ontology/`` and ``graph/``."""
    packaged = _PACKAGE / "data"
    if (packaged / "ontology" / "cstograph.ttl").is_file():
        return packaged
    return _PACKAGE.parent.parent


def ontology_file() -> Path:
    """The OWL ontology, ``ontology/cstograph.ttl``."""
    return data_root() / "ontology" / "cstograph.ttl"


def shapes_file() -> Path:
    """The SHACL shapes, ``ontology/shapes.ttl``."""
    return data_root() / "ontology" / "shapes.ttl"


def violation_queries() -> list[Path]:
    """The data-quality checks, ``ontology/sparql/*-violation.rq``, sorted by name."""
    return sorted((data_root() / "ontology" / "sparql").glob("*-violation.rq"))


def graph_files() -> list[Path]:
    """The shipped graph, ``graph/*.ttl``, sorted by name."""
    return sorted((data_root() / "graph").glob("*.ttl"))


def input_files(
    extra_files: Iterable[Path | str] = (),
    *,
    include_graph: bool = True,
    include_ontology: bool = True,
) -> list[Path]:
    """The files a load reads, in order: the ontology, the shipped graph, then the user's."""
    files = [ontology_file()] if include_ontology else []
    if include_graph:
        files.extend(graph_files())
    files.extend(Path(f) for f in extra_files)
    return files


def fingerprint(files: Iterable[Path]) -> tuple[tuple[str, int, int], ...] | None:
    """Each file's resolved path, size and modification time: equal fingerprints mean
    unchanged files. ``None`` when a file is missing (the loader reports it)."""
    try:
        return tuple((str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns) for f in files)
    except OSError:
        return None
