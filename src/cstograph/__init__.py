"""cstograph: a temporal knowledge graph of the Collective Security Treaty Organization.

>>> import cstograph
>>> graph = cstograph.load()
>>> cstograph.validate().conforms
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "CstographError",
    "DataFileError",
    "InputError",
    "NetworkRefusedError",
    "QueryError",
    "__version__",
    "load",
    "run_query",
    "summarize",
    "to_frame",
    "validate",
]

from cstograph.errors import (
    CstographError,
    DataFileError,
    InputError,
    NetworkRefusedError,
    QueryError,
)

if TYPE_CHECKING:
    from cstograph.analysis.summary import summarize
    from cstograph.frames import to_frame
    from cstograph.io.parse import load
    from cstograph.query.sparql import run_query
    from cstograph.validation import validate

_LAZY = {
    "load": "io.parse",
    "run_query": "query.sparql",
    "summarize": "analysis.summary",
    "to_frame": "frames",
    "validate": "validation",
}


def __getattr__(name: str) -> Any:
    """Import the library's parts on first use, so ``cstograph --help`` stays fast."""
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
