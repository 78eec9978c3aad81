"""Where the shipped ontology, shapes, violation queries and graph files are.

An installed wheel carries them under ``cstograph/data/``; a source checkout (editable
install, or running from the tree) has them at the repository root.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


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
