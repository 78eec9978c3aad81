"""The ``memory`` backend (the default): the shipped ontology and ``graph/`` plus the user's
files, parsed into an in-memory rdflib graph by :func:`cstograph.io.parse.load` on every run.
Nothing is loaded into it: it is rebuilt from files each time.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cstograph.errors import StoreSpecError
from cstograph.stores.backend import LoadReport, StoreSpec

if TYPE_CHECKING:
    from rdflib import Graph

    from cstograph.index.history import History

__all__ = ["BACKEND", "MemoryBackend"]

_REBUILT = "the memory store is rebuilt from files on every run"


class MemoryBackend:
    """``memory``: see the module docstring."""

    scheme: str = "memory"
    argument: str | None = None
    cannot_load: str | None = _REBUILT

    def parse(self, text: str, rest: str) -> StoreSpec:
        return StoreSpec(self.scheme)

    def open(
        self, spec: StoreSpec, files: Sequence[Path | str], *, allow_network: bool, timeout: float
    ) -> Graph:
        """The shipped graph and ``files`` in one in-memory graph (cached by file state)."""
        from cstograph.io.parse import load

        return load(files, allow_network=allow_network)

    def history(
        self,
        spec: StoreSpec,
        files: Sequence[Path | str],
        *,
        allow_network: bool,
        timeout: float,
        claims: str,
    ) -> History:
        """Straight from the files by the streaming reader (no rdflib graph of the relation
        nodes, no parse cache needed)."""
        from cstograph.index.build import Files, build_index

        return build_index(Files(tuple(files), allow_network=allow_network), claims=claims)

    def count(self, spec: StoreSpec, *, timeout: float) -> int:
        from cstograph.io.parse import load

        return len(load())

    def load(
        self,
        spec: StoreSpec,
        files: Sequence[Path],
        *,
        shipped: bool,
        graph_store: str | None,
        timeout: float,
        report: LoadReport,
    ) -> None:
        raise StoreSpecError(_REBUILT)


BACKEND = MemoryBackend()
