"""The RDF format table: its pyoxigraph names resolve to formats that agree with the row, and
lookups by extension and name give what the readers, loaders and exporter used to hard-code."""

from __future__ import annotations

import pytest

from cstograph.errors import DataFileError
from cstograph.io import formats


@pytest.mark.parametrize("row", formats.FORMATS, ids=[f.name for f in formats.FORMATS])
def test_pyoxigraph_agrees_with_the_row(row):
    ox = row.oxigraph_format()
    assert ox.media_type == row.media_type
    assert f".{ox.file_extension}" in row.extensions


def test_names_and_extensions_are_unique():
    names = [f.name for f in formats.FORMATS]
    extensions = [e for f in formats.FORMATS for e in f.extensions]
    assert len(set(names)) == len(names)
    assert len(set(extensions)) == len(extensions)
    assert all(e == e.lower() and e.startswith(".") for e in extensions)


def test_input_extensions_and_export_names():
    assert formats.input_extensions() == [
        ".json", ".jsonld", ".n3", ".nt", ".owl", ".rdf", ".ttl", ".turtle", ".xml"
    ]  # fmt: skip
    assert [f.name for f in formats.EXPORT_FORMATS] == ["ttl", "jsonld", "nt", "nq"]


def test_unknown_extension():
    with pytest.raises(DataFileError, match=r"x\.nq: unknown RDF file extension \(known: \.json,"):
        formats.input_format("x.nq")  # N-Quads is written, not read
