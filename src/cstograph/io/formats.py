"""The RDF formats: one row per format, read by everything that parses, loads, exports or
asks for RDF.

Each :class:`Format` says which file extensions it has, which rdflib parser and serializer
read and write it, which ``pyoxigraph.RdfFormat`` parses it, its media type, whether it
carries named graphs, and whether ``cstograph`` reads files in it and offers it for
``cstograph export``. Parsing (:mod:`cstograph.io.parse`, :mod:`cstograph.index.stream`),
loading stores (:mod:`cstograph.stores`), the endpoint client's ``Accept`` and
``Content-Type`` headers, :func:`cstograph.export.graph.serialize_rdf` and the ``export
--format`` choices all look formats up here.

This module imports neither rdflib nor pyoxigraph (``cstograph --help`` reads it): the
pyoxigraph format is stored by name and resolved by :meth:`Format.oxigraph_format`.

Examples
--------
>>> input_format("graph/csto.ttl").rdflib_parser
'turtle'
>>> [f.name for f in EXPORT_FORMATS]
['ttl', 'jsonld', 'nt', 'nq']
>>> by_name("nq").media_type
'application/n-quads'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cstograph.errors import DataFileError

if TYPE_CHECKING:
    import pyoxigraph

__all__ = [
    "EXPORT_FORMATS",
    "FORMATS",
    "JSON_LD",
    "N3",
    "N_QUADS",
    "N_TRIPLES",
    "RDF_XML",
    "TURTLE",
    "Format",
    "accept_header",
    "by_name",
    "input_extensions",
    "input_format",
]


@dataclass(frozen=True)
class Format:
    """One RDF format.

    Attributes
    ----------
    name
        Its short name, as ``cstograph export --format`` takes it.
    label
        Its name for people (``Turtle``).
    extensions
        File extensions (lower case, with the dot), the usual one first.
    rdflib_parser, rdflib_serializer
        rdflib's names for its parser and serializer (``graph.parse(format=...)``).
    oxigraph
        The name of its ``pyoxigraph.RdfFormat`` member (see :meth:`oxigraph_format`).
    media_type
        Its media type, for HTTP ``Accept`` and ``Content-Type``.
    named_graphs
        It carries named graphs: an export puts every triple in
        :data:`cstograph.export.graph.EXPORT_GRAPH`. (JSON-LD could name graphs too, but is
        read and written here as plain triples.)
    read
        Files with its extensions are read (``--data``, ``cstograph load``).
    export
        ``cstograph export`` offers it.
    line_based
        One statement per line: exports are sorted line by line, so the same graph gives
        the same bytes.
    prefix_context
        The serializer gets the project's prefixes as an inline JSON-LD ``@context``
        (compacted, indented), so nothing is ever fetched to read the export.
    """

    name: str
    label: str
    extensions: tuple[str, ...]
    rdflib_parser: str
    rdflib_serializer: str
    oxigraph: str
    media_type: str
    named_graphs: bool = False
    read: bool = True
    export: bool = False
    line_based: bool = False
    prefix_context: bool = False

    def oxigraph_format(self) -> pyoxigraph.RdfFormat:
        """The ``pyoxigraph.RdfFormat`` (imports pyoxigraph).

        Examples
        --------
        >>> TURTLE.oxigraph_format().media_type
        'text/turtle'
        """
        import pyoxigraph

        member: pyoxigraph.RdfFormat = getattr(pyoxigraph.RdfFormat, self.oxigraph)
        return member


TURTLE = Format(
    "ttl", "Turtle", (".ttl", ".turtle"), "turtle", "turtle", "TURTLE", "text/turtle",
    export=True,
)  # fmt: skip
JSON_LD = Format(
    "jsonld", "JSON-LD", (".jsonld", ".json"), "json-ld", "json-ld", "JSON_LD",
    "application/ld+json", export=True, prefix_context=True,
)  # fmt: skip
N_TRIPLES = Format(
    "nt", "N-Triples", (".nt",), "nt", "nt", "N_TRIPLES", "application/n-triples",
    export=True, line_based=True,
)  # fmt: skip
N_QUADS = Format(
    "nq", "N-Quads", (".nq",), "nquads", "nquads", "N_QUADS", "application/n-quads",
    named_graphs=True, read=False, export=True, line_based=True,
)  # fmt: skip
N3 = Format("n3", "N3", (".n3",), "n3", "n3", "N3", "text/n3")
RDF_XML = Format(
    "rdfxml", "RDF/XML", (".rdf", ".owl", ".xml"), "xml", "xml", "RDF_XML",
    "application/rdf+xml",
)  # fmt: skip

#: Every format, in the order ``cstograph export --format`` lists them.
FORMATS: tuple[Format, ...] = (TURTLE, JSON_LD, N_TRIPLES, N_QUADS, N3, RDF_XML)
#: The formats ``cstograph export`` writes.
EXPORT_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.export)

_BY_NAME = {f.name: f for f in FORMATS}
_BY_EXTENSION = {ext: f for f in FORMATS if f.read for ext in f.extensions}


def by_name(name: str) -> Format | None:
    """The format called ``name`` (:attr:`Format.name`), or ``None``."""
    return _BY_NAME.get(name)


def input_extensions() -> list[str]:
    """The extensions of the files we read, sorted.

    Examples
    --------
    >>> input_extensions()[:3]
    ['.json', '.jsonld', '.n3']
    """
    return sorted(_BY_EXTENSION)


def input_format(path: Path | str) -> Format:
    """The format of an input file, by its extension (case does not matter).

    Raises
    ------
    DataFileError
        An extension no readable format has.

    Examples
    --------
    >>> input_format("data/Extra.OWL").label
    'RDF/XML'
    """
    found = _BY_EXTENSION.get(Path(path).suffix.lower())
    if found is None:
        known = ", ".join(input_extensions())
        raise DataFileError(str(path), f"unknown RDF file extension (known: {known})")
    return found


def accept_header(first: str, *then: str) -> str:
    """An HTTP ``Accept`` value: ``first`` preferred, each of ``then`` a little less.

    Examples
    --------
    >>> accept_header(N_TRIPLES.media_type, TURTLE.media_type)
    'application/n-triples, text/turtle;q=0.9'
    """
    ranked = [f"{media};q={(9 - i) / 10:.1f}" for i, media in enumerate(then)]
    return ", ".join([first, *ranked])
