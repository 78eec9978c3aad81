"""The ``oxigraph:DIR`` backend: a persistent Oxigraph (RocksDB) directory.

Read through oxrdflib from a read-only ``pyoxigraph.Store``, so it can be read while an
Oxigraph server holds the directory. Loads build a new store beside the old one (a
hard-linked checkpoint extended by pyoxigraph's bulk loader) and swap it in
(:mod:`cstograph.stores.swap`). pyoxigraph and oxrdflib are imported only when a store is
opened, so the memory store never pays for them.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cstograph.errors import StoreError, one_line
from cstograph.io import formats
from cstograph.stores import swap
from cstograph.stores.backend import (
    LoadReport,
    StoreSpec,
    bind_prefixes,
    file_quads,
    refuse_extra_files,
    shipped_files,
)

if TYPE_CHECKING:
    import pyoxigraph
    from rdflib import Graph

    from cstograph.index.history import History

__all__ = ["BACKEND", "INDEX", "OxigraphBackend", "fingerprint", "graph_over", "open_read_only"]

#: Files at least this big go through their own ``bulk_load`` call (parsed in Rust).
_BULK_FILE_SIZE = 16 * 1024 * 1024

#: The directory of the relation table inside a store (:mod:`cstograph.index.table`).
INDEX = "cstograph-index"


class OxigraphBackend:
    """``oxigraph:DIR``: see the module docstring."""

    scheme: str = "oxigraph"
    argument: str | None = "DIR"
    cannot_load: str | None = None

    def parse(self, text: str, rest: str) -> StoreSpec:
        return StoreSpec(self.scheme, path=Path(rest).expanduser().absolute())

    def open(
        self, spec: StoreSpec, files: Sequence[Path | str], *, allow_network: bool, timeout: float
    ) -> Graph:
        """A read-only graph whose identifier is the store's default graph (where
        :meth:`load` puts every triple)."""
        refuse_extra_files(spec, files)
        return graph_over(open_read_only(_directory(spec)))

    def history(
        self,
        spec: StoreSpec,
        files: Sequence[Path | str],
        *,
        allow_network: bool,
        timeout: float,
        claims: str,
    ) -> History:
        """From the store's relation table (:func:`persisted_history`)."""
        refuse_extra_files(spec, files)
        return persisted_history(_directory(spec), claims=claims)

    def count(self, spec: StoreSpec, *, timeout: float) -> int:
        """Quads in the store (every triple :meth:`load` writes is in the default graph)."""
        path = _directory(spec)
        if not swap.present(path):
            return 0
        return len(open_read_only(path))

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
        """Build the new store in ``.DIR.new-PID`` and swap it in. A server already serving
        ``DIR`` keeps the files it has open: restart it to see the new data."""
        target = _directory(spec)
        with swap.locked(target, str(spec)):
            exists = target.exists()
            if exists and not (target / "CURRENT").is_file():
                raise StoreError(f"{spec}: not an Oxigraph store (no CURRENT file)")
            extra: list[Path] = []
            if not exists and shipped:
                extra = shipped_files()
                report.shipped_files = len(extra)
            report.created = not exists
            every = [*extra, *files]
            swap.build_aside(target, lambda aside: _build(aside, target, exists, every, report))


BACKEND = OxigraphBackend()


def _directory(spec: StoreSpec) -> Path:
    assert spec.path is not None, "an oxigraph: spec has a directory"
    return spec.path


def open_read_only(path: Path) -> pyoxigraph.Store:
    """``pyoxigraph.Store.read_only`` on ``path`` (after recovering a half swap), with
    one-line errors.

    Raises
    ------
    StoreError
        No such directory, not an Oxigraph store, or it cannot be opened.
    """
    import pyoxigraph

    _check(path)
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"oxigraph:{path}: cannot open: {one_line(exc)}") from None


def _check(path: Path) -> None:
    """Recover a half swap of ``path``; raise :class:`StoreError` when there is no store."""
    swap.recover(path)
    if not path.exists():
        raise StoreError(
            f"oxigraph:{path}: no such directory; build it with "
            f"`cstograph load FILE --store oxigraph:{path}`"
        )
    if not (path / "CURRENT").is_file():
        raise StoreError(f"oxigraph:{path}: not an Oxigraph store (no CURRENT file)")


def graph_over(ox_store: pyoxigraph.Store) -> Graph:
    """An rdflib graph (oxrdflib) over the default graph of ``ox_store``, prefixes bound."""
    from oxrdflib import OxigraphStore
    from rdflib import Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    graph = Graph(
        store=OxigraphStore(store=ox_store),
        identifier=DATASET_DEFAULT_GRAPH_ID,
        bind_namespaces="none",
    )
    return bind_prefixes(graph)


def fingerprint(path: Path) -> str:
    """What identifies the state of the store in ``path``: RocksDB's ``CURRENT`` pointer and
    the names and sizes of its manifest, table and write-ahead log files. Opening the store
    read-only (every read here, ``oxigraph serve-read-only``) changes none of them; any
    write does (a new log, table or manifest file, or a longer log), and so does opening it
    for writing, even with nothing written (a false alarm that only costs a rebuild)."""
    import hashlib

    digest = hashlib.sha256()
    try:
        digest.update((path / "CURRENT").read_bytes())
        for entry in sorted(os.scandir(path), key=lambda e: e.name):
            name = entry.name
            if name.startswith("MANIFEST-") or name.endswith((".sst", ".log")):
                digest.update(f"{name} {entry.stat().st_size}\n".encode())
    except OSError as exc:
        raise StoreError(f"oxigraph:{path}: cannot read: {one_line(exc)}") from None
    return digest.hexdigest()


def persisted_history(path: Path, *, claims: str = "preferred") -> History:
    """The interval index of the store in ``path``, from the relation table ``load`` wrote
    into it (:class:`cstograph.index.table_history.TableHistory`).

    A store without a table (built before there was one), or whose table was built from
    another state of the store (it was written behind cstograph's back: ``oxigraph load``, a
    read-write server, pyoxigraph), is indexed from its quads again and the new table is
    written in place (atomically: readers see the old table or the new one), unless a load
    holds the store or the directory is not writable: then the answer comes from the index
    just built, and the next run tries again.

    Raises
    ------
    StoreError
        No store there, or it cannot be read.
    """
    from cstograph.errors import StaleTableError
    from cstograph.index.table import open_table
    from cstograph.index.table_history import TableHistory

    _check(path)
    try:
        table = open_table(path / INDEX, fingerprint(path))
    except StaleTableError:
        return _reindex(path, claims)
    return TableHistory(table, lambda: graph_over(open_read_only(path)), claims=claims)


def _reindex(path: Path, claims: str) -> History:
    """:func:`persisted_history` of a store whose table is missing or stale."""
    from cstograph.errors import InputError
    from cstograph.index.build import build_index
    from cstograph.index.history import History
    from cstograph.index.table import open_table, write_table
    from cstograph.index.table_history import TableHistory
    from cstograph.io.files import directory_aside

    before = fingerprint(path)
    everything = build_index(open_read_only(path), claims="all")
    try:
        with swap.locked(path, f"oxigraph:{path}"):
            if fingerprint(path) == before:
                with directory_aside(path / INDEX) as aside:
                    write_table(aside, everything, before)
                table = open_table(path / INDEX, before)
                return TableHistory(table, lambda: graph_over(open_read_only(path)), claims=claims)
    except (StoreError, InputError, OSError):
        pass  # a load is running, or the directory cannot be written: answer all the same
    return History(everything.graph, claims=claims, relations=everything.all_relations())


def _index(aside: Path, exists: bool, files: list[Path]) -> None:
    """Write the relation table of the store just built in ``aside``: for a new store from
    the files, by the streaming reader (the small files' triples grouped by subject, so that
    a relation node written in two files is read in one piece); from the store's quads for
    a store extended, or when the files cannot be read node by node."""
    from cstograph.index.build import build_index, grouped, history_from_triples
    from cstograph.index.stream import oxigraph_triples
    from cstograph.index.table import write_table

    everything = None
    if not exists:
        small = [p for p in files if p.stat().st_size < _BULK_FILE_SIZE]
        large = (oxigraph_triples(p) for p in files if p not in small)
        everything = history_from_triples([grouped(small), *large], claims="all")
    if everything is None:
        everything = build_index(open_read_only(aside), claims="all")
    write_table(aside / INDEX, everything, fingerprint(aside))


def _build(aside: Path, target: Path, exists: bool, files: list[Path], report: LoadReport) -> None:
    """Copy the store at ``target`` (if it ``exists``) to ``aside``, bulk-load ``files`` and
    write the relation table of the result into it."""
    import pyoxigraph

    if exists:
        try:
            current = pyoxigraph.Store.read_only(str(target))
            report.triples_before = len(current)
            current.backup(str(aside))  # hard links to the immutable SST files
            del current
        except OSError as exc:
            raise StoreError(f"oxigraph:{target}: cannot copy: {one_line(exc)}") from None
    building = pyoxigraph.Store(str(aside))
    small = [p for p in files if p.stat().st_size < _BULK_FILE_SIZE]
    try:
        # each bulk_load call costs ~0.1 s: small files go through one call together
        building.bulk_extend(q for path in small for q in file_quads(path))
        _test_pause_point()
        for path in files:
            if path not in small:
                building.bulk_load(
                    path=str(path),
                    format=formats.input_format(path).oxigraph_format(),
                    base_iri=path.resolve().as_uri(),
                    to_graph=pyoxigraph.DefaultGraph(),
                )
    except SyntaxError as exc:  # checked already: a file changed under us
        raise StoreError(f"oxigraph:{target}: a file changed while loading: {exc}") from None
    building.flush()
    report.triples_after = len(building)
    del building
    gc.collect()  # close RocksDB before the swap
    _index(aside, exists, files)


def _test_pause_point() -> None:
    """For tests: with ``CSTOGRAPH_TEST_PAUSE_LOAD=FILE`` set, a build half done (the copy and
    the small files in the new store, the large files next) writes FILE and waits while it
    exists, so that a test interrupts a load at this known point instead of after a sleep."""
    marker = os.environ.get("CSTOGRAPH_TEST_PAUSE_LOAD")
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
        while Path(marker).exists():
            time.sleep(0.01)
