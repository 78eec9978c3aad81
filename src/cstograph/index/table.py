"""The persisted relation table: every relation record of a store as columns on disk, with
the entity and name tables that answers need, written once by ``load`` and memory-mapped by
every later process.

A table is a directory (inside an Oxigraph store: ``DIR/cstograph-index/``, see
:mod:`cstograph.stores.oxigraph`) of NumPy ``.npy`` files, opened with ``mmap_mode="r"``, and
string columns (one UTF-8 blob and an ``int64`` offsets array each), so that opening one costs
a few file opens whatever the size of the store, and a question touches only the pages of
the rows it reads. ``meta.json`` says the format version, the row count, the kinds, and the
*fingerprint* of the store state the table was built from (the backend decides what it is;
:func:`open_table` refuses a table whose fingerprint is not the one expected).

Rows are relation records in the order :class:`~cstograph.index.history.History` keeps them
(by start, then id), every claim included (``preferred`` says which are marked not
preferred). Numeric columns (``int32`` day numbers are ``date.toordinal()``):

=================  =====================================================================
``node``           the row of the first record of the same relation node (a node of two
                   kinds has a record, and a row, per kind)
``kind``           index into ``meta["kinds"]``
``subject`` ...    ``subject``, ``object``, ``operator``, ``role``, ``start_qualifier``,
                   ``end_qualifier``, ``organization``: index into the term table, -1 none
``start``/``end``  the stored bounds (``end`` 0 when open)
``sp``/``ep``      precision codes (:data:`PRECISIONS`; ``ep`` -1 when open)
``s_lo`` ...       ``s_lo``/``s_hi``/``e_lo``/``e_hi``: bound ranges; ``sp_lo``/``sp_hi``/
                   ``ep_lo``/``ep_hi``: the days the stored bounds' precisions cover
``preferred``      1, 0, or -1 for unmarked
=================  =====================================================================

The string column ``details`` holds, per row, what only a shown row needs (JSON: id,
label, sources, unit, personnel figure, conflicts); ``relation_id``, ``relation_label`` and
``relation_sources`` (source ids, sorted, space-separated) what a snapshot's edges say.
Terms (every entity, role and qualifier the rows name) have ``iri``, ``short``, ``label``
and ``node`` (a snapshot's node attributes) columns; ``by_short`` and ``relation_ids`` are
sorted string columns for lookups; the name tables (``names``, ``compact``, ``latin``,
``surnames``, as :class:`~cstograph.index.names.NameIndex` builds them) are sorted keys with
the terms they name.

Adding a column: compute it in :func:`write_table` (from the records), add its name to
:data:`COLUMNS` (or a string column to the writer), bump :data:`VERSION` so that older tables
are rebuilt, and read it in :class:`RelationTable`.
"""

from __future__ import annotations

import bisect
import json
import mmap
import os
from array import array
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cstograph.errors import StaleTableError
from cstograph.temporal import recorded_rows

if TYPE_CHECKING:
    from cstograph.index.history import History

__all__ = [
    "COLUMNS",
    "PRECISIONS",
    "VERSION",
    "RelationTable",
    "SortedStrings",
    "StaleTableError",
    "Strings",
    "open_table",
    "write_table",
]

#: The format version: a table of another version is rebuilt.
VERSION = 2  # 2: sources carry url, issued date and kind
#: Precision names by code.
PRECISIONS: tuple[str, ...] = ("day", "month", "year")
_PRECISION_CODE = {name: i for i, name in enumerate(PRECISIONS)}

#: The numeric columns and their dtypes.
COLUMNS: dict[str, str] = {
    "node": "int32",
    "kind": "int8",
    "subject": "int32",
    "object": "int32",
    "operator": "int32",
    "role": "int32",
    "organization": "int32",
    "start": "int32",
    "end": "int32",
    "sp": "int8",
    "ep": "int8",
    "sq": "int32",
    "eq": "int32",
    "s_lo": "int32",
    "s_hi": "int32",
    "e_lo": "int32",
    "e_hi": "int32",
    "sp_lo": "int32",
    "sp_hi": "int32",
    "ep_lo": "int32",
    "ep_hi": "int32",
    "preferred": "int8",
}

#: The name tables, in the order :meth:`NameIndex._candidates` tries them.
NAME_TABLES = ("names", "compact", "latin", "surnames")

_STRING_COLUMNS = (
    "details",
    "relation_id",
    "relation_label",
    "relation_sources",
    "iri",
    "short",
    "label",
    "node",
)
_SORTED_COLUMNS = ("relation_ids", "by_short", *(f"name_{t}" for t in NAME_TABLES))
#: Every file of a table.
FILES: tuple[str, ...] = (
    "meta.json",
    "groups.npy",
    *(f"{name}.npy" for name in COLUMNS),
    *(f"{name}{end}" for name in _STRING_COLUMNS for end in (".blob", ".offsets.npy")),
    *(
        f"{name}{end}"
        for name in _SORTED_COLUMNS
        for end in (".keys.blob", ".keys.offsets.npy", ".values.npy")
    ),
)


# String columns ------------------------------------------------------------------------------


class _StringWriter:
    """Writes a string column as its strings come (the blob as it goes, the offsets at the
    end), so that a million rows' strings are never all held."""

    def __init__(self, directory: Path, name: str) -> None:
        self.directory, self.name = directory, name
        self.blob = open(directory / f"{name}.blob", "wb")  # noqa: SIM115 (closed in close)
        self.offsets = array("q", [0])
        self.position = 0

    def add(self, text: str) -> None:
        data = text.encode("utf-8")
        self.blob.write(data)
        self.position += len(data)
        self.offsets.append(self.position)

    def close(self) -> None:
        self.blob.close()
        np.save(self.directory / f"{self.name}.offsets.npy", np.frombuffer(self.offsets, np.int64))


def _write_strings(directory: Path, name: str, texts: Iterable[str]) -> None:
    writer = _StringWriter(directory, name)
    try:
        for text in texts:
            writer.add(text)
    finally:
        writer.close()


class Strings(Sequence[str]):
    """A string column: item ``i`` decoded from the memory-mapped blob on each access."""

    def __init__(self, directory: Path, name: str) -> None:
        self.offsets = np.load(directory / f"{name}.offsets.npy", mmap_mode="r")
        size = (directory / f"{name}.blob").stat().st_size
        if size:
            with open(directory / f"{name}.blob", "rb") as blob:
                self.blob: bytes | mmap.mmap = mmap.mmap(blob.fileno(), 0, access=mmap.ACCESS_READ)
        else:
            self.blob = b""
        # Python ints from the mapped offsets without a NumPy scalar per access
        self._bounds = memoryview(self.offsets) if len(self.offsets) else memoryview(b"")

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:  # type: ignore[override]
        bounds = self._bounds
        return self.blob[bounds[i] : bounds[i + 1]].decode("utf-8")


class SortedStrings:
    """Sorted string keys, each with an ``int32`` value (keys may repeat): a lookup is a
    binary search over the memory-mapped keys, decoding about log2(n) of them."""

    def __init__(self, directory: Path, name: str) -> None:
        self.keys = Strings(directory, f"{name}.keys")
        self.values = np.load(directory / f"{name}.values.npy", mmap_mode="r")

    @staticmethod
    def write(directory: Path, name: str, pairs: Iterable[tuple[str, int]]) -> None:
        ordered = sorted(pairs)
        _write_strings(directory, f"{name}.keys", (k for k, _ in ordered))
        np.save(directory / f"{name}.values.npy", np.asarray([v for _, v in ordered], np.int32))

    def get(self, key: str) -> list[int]:
        """Every value stored under ``key``, in order."""
        first = bisect.bisect_left(self.keys, key)
        found = []
        while first < len(self.keys) and self.keys[first] == key:
            found.append(int(self.values[first]))
            first += 1
        return found

    def one(self, key: str) -> int | None:
        found = self.get(key)
        return found[0] if found else None


# Writing -------------------------------------------------------------------------------------


def _ordinal(day: date | None) -> int:
    return day.toordinal() if day is not None else 0


def write_table(
    directory: Path, history: History, fingerprint: str, *, node_attributes: bool = True
) -> None:
    """Write the table of ``history`` (an index of every claim, ``claims="all"``) into the
    new directory ``directory``, stamped with ``fingerprint``.

    Parameters
    ----------
    directory
        Where to write: a new or empty directory (the caller builds it aside and swaps it
        in).
    history
        The interval index, built with ``claims="all"``; its graph gives the names and the
        node attributes.
    fingerprint
        What :func:`open_table` will compare with the store it reads.
    node_attributes
        Also write each entity's snapshot node attributes (class, type, QID).
    """
    from rdflib import URIRef

    from cstograph.index.history import MEMBER_ROLES
    from cstograph.index.nodes import NodeAttributes
    from cstograph.model.kinds import KINDS
    from cstograph.model.terms import short_name

    if history.claims != "all":
        raise ValueError("write_table needs an index of every claim (claims='all')")
    directory.mkdir(parents=True, exist_ok=True)
    relations = history.all_relations()
    kinds = [k.name for k in KINDS]
    kind_code = {name: i for i, name in enumerate(kinds)}

    terms: dict[str, int] = {}  # IRI -> term index
    term_iris: list[str] = []
    entity_terms: set[int] = set()

    def term(iri: str | None) -> int:
        if iri is None:
            return -1
        found = terms.get(iri)
        if found is None:
            found = terms[iri] = len(term_iris)
            term_iris.append(iri)
        return found

    labels: dict[str, str] = {}  # term IRI -> label, when not the history's label of it

    by_short: dict[str, str] = {}  # short id -> IRI, for the entities of names

    def entity(value: Any) -> int:
        if value is None:
            return -1
        iri = by_short.get(value.id)
        index = term(iri if iri is not None else str(history.iri(value.id)))
        labels.setdefault(term_iris[index], value.label)
        entity_terms.add(index)
        return index

    names = history.names
    names.names()
    name_nodes = sorted(str(n) for n in names._groups)
    for iri in name_nodes:
        term(iri)
        by_short.setdefault(short_name(URIRef(iri)), iri)
    for member_role in sorted(MEMBER_ROLES):
        term(str(member_role))

    qualifier_iris: dict[str, str] = {}
    for r in relations:
        for name in (r.start_qualifier, r.end_qualifier):
            if name is not None and name not in qualifier_iris:
                qualifier_iris[name] = ""
    # qualifier labels map back to their IRIs through the ontology's labels
    from cstograph.model.terms import CST

    for iri in (CST.NotLaterThan, CST.NotEarlierThan):
        qualifier_iris[history.label(iri)] = str(iri)

    columns: dict[str, Any] = {name: array("q") for name in COLUMNS}
    strings = {
        name: _StringWriter(directory, name)
        for name in ("details", "relation_id", "relation_label", "relation_sources")
    }
    node_of: dict[str, int] = {}  # relation id -> the row of its first record
    for row, r in enumerate(relations):
        put = columns
        put["node"].append(node_of.setdefault(r.id, row))
        strings["relation_id"].add(r.id)
        strings["relation_label"].add(r.label)
        strings["relation_sources"].add(" ".join(sorted({s.id for s in r.sources})))
        put["kind"].append(kind_code[r.kind])
        put["subject"].append(entity(r.subject))
        put["object"].append(entity(r.object))
        put["operator"].append(entity(r.operator))
        put["organization"].append(entity(r.organization))
        role = term(str(r.role_iri)) if r.role_iri is not None else -1
        if role >= 0 and r.role is not None:
            labels.setdefault(term_iris[role], r.role)
        put["role"].append(role)
        put["start"].append(_ordinal(r.start))
        put["end"].append(_ordinal(r.end))
        put["sp"].append(_PRECISION_CODE[r.start_precision])
        put["ep"].append(_PRECISION_CODE[r.end_precision] if r.end_precision else -1)
        for column, name in (("sq", r.start_qualifier), ("eq", r.end_qualifier)):
            if name is None:
                put[column].append(-1)
            else:
                iri = qualifier_iris.get(name) or f"urn:x-cstograph:qualifier:{name}"
                index = term(iri)
                labels.setdefault(iri, name)
                put[column].append(index)
        for prefix, (low, high) in (("s", r.start_range), ("e", r.end_range)):
            put[f"{prefix}_lo"].append(low.toordinal())
            put[f"{prefix}_hi"].append(high.toordinal())
        put["preferred"].append(-1 if r.preferred is None else int(r.preferred))
        personnel = r.personnel
        strings["details"].add(
            json.dumps(
                [
                    r.id,
                    r.label,
                    [
                        [s.id, s.title, s.locator, s.note, s.url, s.issued, s.kind]
                        for s in r.sources
                    ],
                    r.unit,
                    None
                    if personnel is None
                    else [
                        personnel.value,
                        personnel.unit,
                        personnel.approximation,
                        personnel.description,
                    ],
                    list(r.conflicts_with),
                ],
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )

    # the days the stored bounds' precisions cover, for all rows at once
    for prefix, day, precision, is_end in (("sp", "start", "sp", False), ("ep", "end", "ep", True)):
        low, high = recorded_rows(
            np.frombuffer(columns[day], np.int64),
            np.frombuffer(columns[precision], np.int64),
            is_end=is_end,
        )
        columns[f"{prefix}_lo"], columns[f"{prefix}_hi"] = low, high
    for name, dtype in COLUMNS.items():
        values = columns.pop(name)
        np.save(directory / f"{name}.npy", np.asarray(values, dtype=np.int64).astype(dtype))
    for writer in strings.values():
        writer.close()
    SortedStrings.write(directory, "relation_ids", node_of.items())
    del node_of

    shorts = [short_name(URIRef(iri)) for iri in term_iris]
    term_labels = [
        labels[iri] if iri in labels else history.label(URIRef(iri)) for iri in term_iris
    ]
    _write_strings(directory, "iri", term_iris)
    _write_strings(directory, "short", shorts)
    _write_strings(directory, "label", term_labels)
    SortedStrings.write(directory, "by_short", ((s, i) for i, s in enumerate(shorts)))
    describe = NodeAttributes(history) if node_attributes else None
    _write_strings(
        directory,
        "node",
        (
            json.dumps(
                describe(shorts[i], term_labels[i])
                if describe is not None and i in entity_terms
                else None,
                ensure_ascii=False,
                separators=(",", ":"),
            )
            for i in range(len(term_iris))
        ),
    )

    # names: the tables NameIndex builds, keyed by term
    groups = {group: bit for bit, group in enumerate(sorted(_all_groups()))}
    group_bits = np.zeros(len(term_iris), dtype=np.uint8)
    for node, found in names._groups.items():
        bits = 0
        for group in found:
            bits |= 1 << groups[group]
        group_bits[terms[str(node)]] = bits
    np.save(directory / "groups.npy", group_bits)
    for table in NAME_TABLES:
        keyed = getattr(names, f"_{table}")
        SortedStrings.write(
            directory,
            f"name_{table}",
            ((key, terms[str(node)]) for key, nodes in keyed.items() for node in nodes),
        )
    meta = {
        "version": VERSION,
        "fingerprint": fingerprint,
        "rows": len(relations),
        "terms": len(term_iris),
        "kinds": kinds,
        "groups": sorted(groups, key=groups.__getitem__),
    }
    (directory / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")


def _all_groups() -> tuple[str, ...]:
    from cstograph.index.names import GROUPS

    return tuple(GROUPS)


# Reading -------------------------------------------------------------------------------------


class RelationTable:
    """An opened table (see the module docstring): columns as read-only memory maps."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.meta: dict[str, Any] = json.loads((directory / "meta.json").read_text("utf-8"))
        self.rows: int = self.meta["rows"]
        self.kinds: list[str] = self.meta["kinds"]
        self.groups: list[str] = self.meta["groups"]
        self._columns: dict[str, np.ndarray[Any, Any]] = {}
        self._strings: dict[str, Strings] = {}
        self._sorted: dict[str, SortedStrings] = {}

    def column(self, name: str) -> np.ndarray[Any, Any]:
        found = self._columns.get(name)
        if found is None:
            found = self._columns[name] = np.load(self.directory / f"{name}.npy", mmap_mode="r")
        return found

    def strings(self, name: str) -> Strings:
        found = self._strings.get(name)
        if found is None:
            found = self._strings[name] = Strings(self.directory, name)
        return found

    def lookup(self, name: str) -> SortedStrings:
        found = self._sorted.get(name)
        if found is None:
            found = self._sorted[name] = SortedStrings(self.directory, name)
        return found

    def group_names(self, bits: int) -> set[str]:
        return {group for i, group in enumerate(self.groups) if bits >> i & 1}

    def details(self, row: int) -> list[Any]:
        found: list[Any] = json.loads(self.strings("details")[row])
        return found

    def node_attributes(self, term: int) -> dict[str, str] | None:
        found: dict[str, str] | None = json.loads(self.strings("node")[term])
        return found


def open_table(directory: Path, fingerprint: str | None) -> RelationTable:
    """Open the table in ``directory`` if it was built from the store state ``fingerprint``
    (``None``: any).

    Raises
    ------
    StaleTableError
        No table there, another version, unreadable, or another fingerprint.
    """
    try:
        table = RelationTable(directory)
    except (OSError, ValueError, KeyError) as exc:
        raise StaleTableError(f"{directory}: no readable relation table ({exc})") from None
    if table.meta.get("version") != VERSION:
        raise StaleTableError(f"{directory}: relation table of another version")
    if fingerprint is not None and table.meta.get("fingerprint") != fingerprint:
        raise StaleTableError(f"{directory}: built from another state of the store")
    present = set(os.listdir(directory))
    missing = sorted(set(FILES) - present)
    if missing:
        raise StaleTableError(f"{directory}: relation table without {missing[0]}")
    return table
