"""Writing snapshots (GraphML, GEXF, node-link JSON, CSV edge list) and the RDF itself
(Turtle, JSON-LD with an inline context, N-Triples, N-Quads), plus an OWL-Time view.

Every file is written to a temporary file in the target directory and renamed into place, so
a failed export never leaves a half-written file. Snapshots are written in a canonical order
(nodes by id, edges by endpoints and relation id), so the same graph gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from cstograph.errors import ExportFormatError
from cstograph.index.history import History, Relation
from cstograph.io import formats
from cstograph.io.files import write_atomic, write_text_atomic
from cstograph.io.spreadsheet import defuse_row
from cstograph.model.terms import PREFIXES, RDF, RDFS, TIME

__all__ = [
    "GRAPH_FORMATS",
    "canonical",
    "owl_time_view",
    "serialize_rdf",
    "write_snapshot",
]

#: Snapshot file extensions and what they hold.
GRAPH_FORMATS: dict[str, str] = {
    ".graphml": "GraphML",
    ".gexf": "GEXF",
    ".json": "node-link JSON",
    ".csv": "CSV edge list",
}
#: The named graph that N-Quads exports put every triple in.
EXPORT_GRAPH = URIRef("https://w3id.org/cstograph/graph")


def canonical(graph: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """A copy with nodes sorted by id and edges by (source, target, key)."""
    ordered: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    ordered.graph.update(sorted(graph.graph.items()))
    for node in sorted(graph.nodes):
        ordered.add_node(node, **dict(sorted(graph.nodes[node].items())))
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        ordered.add_edge(u, v, key=key, **dict(sorted(data.items())))
    return ordered


def _edge_rows(graph: nx.MultiDiGraph[str]) -> tuple[list[str], list[list[Any]]]:
    keys = sorted({k for _, _, d in graph.edges(data=True) for k in d})
    columns = ["source", "source_label", "target", "target_label", "id", *keys]
    rows = [
        [u, graph.nodes[u].get("label", ""), v, graph.nodes[v].get("label", ""), key]
        + [data.get(k, "") for k in keys]
        for u, v, key, data in graph.edges(keys=True, data=True)
    ]
    return columns, rows


def _csv_bytes(graph: nx.MultiDiGraph[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns, rows = _edge_rows(graph)
    writer.writerow(columns)
    writer.writerows(
        defuse_row(("true" if c else "false") if isinstance(c, bool) else c for c in row)
        for row in rows
    )
    return buffer.getvalue().encode("utf-8")


def snapshot_format(path: Path | str) -> str:
    """The snapshot format of a file name, from its extension.

    Raises
    ------
    ExportFormatError
        An extension not in :data:`GRAPH_FORMATS`.

    Examples
    --------
    >>> snapshot_format("2007.gexf")
    '.gexf'
    """
    suffix = Path(path).suffix.lower()
    if suffix not in GRAPH_FORMATS:
        known = ", ".join(GRAPH_FORMATS)
        raise ExportFormatError(f"{path}: unknown snapshot file extension (known: {known})")
    return suffix


def write_snapshot(graph: nx.MultiDiGraph[str], path: Path | str) -> Path:
    """Write a snapshot; the format comes from the extension (see :data:`GRAPH_FORMATS`).

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> from cstograph import load
    >>> from cstograph.analysis.snapshot import snapshot
    >>> g = snapshot(History(load()), year=2007)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     back = nx.read_graphml(write_snapshot(g, f"{d}/2007.graphml"))
    >>> back.number_of_edges() == g.number_of_edges()
    True
    """
    suffix = snapshot_format(path)
    ordered = canonical(graph)

    def write(stream: BinaryIO) -> None:
        if suffix == ".graphml":
            nx.write_graphml(ordered, stream, encoding="utf-8")
        elif suffix == ".gexf":
            nx.write_gexf(ordered, stream, encoding="utf-8")
        elif suffix == ".json":
            data = nx.node_link_data(ordered, edges="edges")
            stream.write(json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))
        else:
            stream.write(_csv_bytes(ordered))

    return write_atomic(path, write)


# RDF -----------------------------------------------------------------------------------------


def owl_time_view(history: History) -> Graph:
    """The intervals of every relation in OWL-Time.

    Each relation ``r`` gets ``r time:hasTime <r/interval>``, a ``time:Interval`` with
    ``time:hasBeginning`` and (when it has ended) ``time:hasEnd``, each a ``time:Instant``
    with ``time:inXSDDate``. A bound known only to the month or year also gets
    ``time:inDateTime``: a ``time:DateTimeDescription`` with ``time:unitType`` and
    ``time:year`` (and ``time:month``), which is how OWL-Time says "some day of that month".

    Examples
    --------
    >>> from cstograph import load
    >>> history = History(load())
    >>> view = owl_time_view(history)
    >>> len(set(view.subjects(RDF.type, TIME.Interval))) == len(history.all_relations())
    True
    """
    from cstograph.temporal import Precision

    view = Graph(bind_namespaces="none")
    for prefix in ("cs", "time", "xsd", "rdfs"):
        view.bind(prefix, PREFIXES[prefix])

    def instant(node: URIRef, day: Any, precision: str | None) -> None:
        view.add((node, RDF.type, TIME.Instant))
        view.add((node, TIME.inXSDDate, Literal(day, datatype=XSD.date)))
        if precision in (Precision.MONTH, Precision.YEAR):
            description = URIRef(f"{node}/description")
            view.add((node, TIME.inDateTime, description))
            view.add((description, RDF.type, TIME.DateTimeDescription))
            view.add((description, TIME.unitType, Precision.UNIT[precision]))
            view.add((description, TIME.year, Literal(f"{day.year:04d}", datatype=XSD.gYear)))
            if precision == Precision.MONTH:
                month = Literal(f"--{day.month:02d}", datatype=XSD.gMonth)
                view.add((description, TIME.month, month))

    relation: Relation
    for relation in history.all_relations():
        node = history.iri(relation.id)
        interval = URIRef(f"{node}/interval")
        view.add((node, TIME.hasTime, interval))
        view.add((interval, RDF.type, TIME.Interval))
        view.add((interval, RDFS.label, Literal(f"interval of {relation.label}")))
        beginning = URIRef(f"{node}/beginning")
        view.add((interval, TIME.hasBeginning, beginning))
        instant(beginning, relation.start, relation.start_precision)
        if relation.end is not None:
            end = URIRef(f"{node}/end")
            view.add((interval, TIME.hasEnd, end))
            instant(end, relation.end, relation.end_precision)
    return view


def serialize_rdf(graph: Graph, fmt: str) -> str:
    """Serialize a graph in an export format of :data:`cstograph.io.formats.EXPORT_FORMATS`:
    ``ttl``, ``jsonld`` (inline context), ``nt`` or ``nq``.

    A format that carries named graphs (N-Quads) puts every triple in the named graph
    :data:`EXPORT_GRAPH`; a line-based one (N-Triples, N-Quads) comes sorted by line.

    Raises
    ------
    ExportFormatError
        A format that is not an export format.

    Examples
    --------
    >>> from cstograph.model.terms import CS, CST, RDF
    >>> g = Graph()
    >>> _ = g.add((CS.csto, RDF.type, CST.Alliance))
    >>> serialize_rdf(g, "nt").split()[0]
    '<https://w3id.org/cstograph/id/csto>'
    """
    rdf_format = formats.by_name(fmt)
    if rdf_format is None or not rdf_format.export:
        known = ", ".join(f.name for f in formats.EXPORT_FORMATS)
        raise ExportFormatError(f"unknown RDF export format {fmt!r} (known: {known})")
    serializer = rdf_format.rdflib_serializer
    if rdf_format.named_graphs:
        dataset = Dataset()
        named = dataset.graph(EXPORT_GRAPH)
        for triple in graph:
            named.add(triple)
        text = dataset.serialize(format=serializer)
    elif rdf_format.prefix_context:
        context = dict(PREFIXES)
        text = graph.serialize(format=serializer, context=context, auto_compact=True, indent=2)
    else:
        text = graph.serialize(format=serializer)
    return "\n".join(sorted(text.splitlines())) + "\n" if rdf_format.line_based else text


def write_text(path: Path | str, text: str) -> Path:
    """Write ``text`` as UTF-8, all-or-nothing."""
    return write_text_atomic(path, text)
