"""Exports read back: networkx reads GraphML/GEXF/JSON, CSV has one row per edge, rdflib
reads the RDF and it is isomorphic to the source; bad extensions write nothing."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Graph, Literal
from rdflib.compare import isomorphic

from cstograph.analysis.snapshot import snapshot
from cstograph.cli import cli
from cstograph.errors import ExportFormatError
from cstograph.export.graph import (
    EXPORT_GRAPH,
    owl_time_view,
    serialize_rdf,
    write_snapshot,
)
from cstograph.index.history import History
from cstograph.io import paths
from cstograph.io.parse import load
from cstograph.model.terms import RDF, TIME, XSD


@pytest.fixture(scope="module")
def history(graph):
    return History(graph)


@pytest.fixture(scope="module")
def g2010(history):
    return snapshot(history, year=2010)


@pytest.mark.parametrize("reader,ext", [(nx.read_graphml, "graphml"), (nx.read_gexf, "gexf")])
def test_graphml_and_gexf_read_back(tmp_path, g2010, reader, ext):
    path = write_snapshot(g2010, tmp_path / f"2010.{ext}")
    back = reader(path)
    assert set(back.nodes) == set(g2010.nodes)
    assert back.number_of_edges() == g2010.number_of_edges()
    assert back.nodes["cs:russia"]["qid"] == "Q159"
    kinds = sorted(d["kind"] for _, _, d in back.edges(data=True))
    assert kinds == sorted(d["kind"] for _, _, d in g2010.edges(data=True))
    certain = sorted(d["certain"] for _, _, d in back.edges(data=True))
    assert certain == sorted(d["certain"] for _, _, d in g2010.edges(data=True))


def test_json_node_link_reads_back(tmp_path, g2010):
    path = write_snapshot(g2010, tmp_path / "2010.json")
    back = nx.node_link_graph(json.loads(path.read_text()), edges="edges")
    assert nx.utils.graphs_equal(back, g2010)


def test_csv_edge_list(tmp_path, g2010):
    path = write_snapshot(g2010, tmp_path / "2010.csv")
    with path.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == g2010.number_of_edges()
    assert {(r["source"], r["target"], r["id"]) for r in rows} == set(g2010.edges(keys=True))
    assert {r["certain"] for r in rows} <= {"true", "false"}


def test_same_graph_same_bytes(tmp_path, history, g2010):
    from cstograph.analysis.sweep import snapshots

    swept = dict(snapshots(history, 2009, 2010))[2010]
    a = write_snapshot(g2010, tmp_path / "a.graphml").read_bytes()
    b = write_snapshot(swept, tmp_path / "b.graphml").read_bytes()
    assert a == b


def test_unknown_extension_writes_nothing(tmp_path, g2010):
    with pytest.raises(ExportFormatError, match="unknown snapshot file extension"):
        write_snapshot(g2010, tmp_path / "2010.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_no_file(tmp_path):
    bad = nx.MultiDiGraph()
    bad.add_node("x", weird=object())  # GraphML cannot write it
    with pytest.raises(Exception):  # noqa: B017
        write_snapshot(bad, tmp_path / "bad.graphml")
    assert list(tmp_path.iterdir()) == []


def decimals_by_value(graph: Graph) -> Graph:
    """rdflib's Turtle writer prints an xsd:decimal by value ("9" becomes 9.0): compare those
    by value."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(f"{Decimal(str(o)).normalize():f}", datatype=XSD.decimal)
        out.add((s, p, o))
    return out


# One file at a time: rdflib's isomorphism test is slow on the thousands of blank nodes of
# the whole graph, and every triple of the whole graph is in exactly one of these files.
SOURCES = [paths.ontology_file(), *paths.graph_files()]


@pytest.mark.parametrize("source", SOURCES, ids=[p.name for p in SOURCES])
@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")])
def test_rdf_round_trip_is_isomorphic(source, fmt, parser):
    graph = load([source], include_graph=False, include_ontology=False)
    back = Graph().parse(data=serialize_rdf(graph, fmt), format=parser)
    assert isomorphic(decimals_by_value(back), decimals_by_value(graph))


@pytest.mark.parametrize("source", SOURCES, ids=[p.name for p in SOURCES])
def test_nquads_round_trip(source):
    graph = load([source], include_graph=False, include_ontology=False)
    dataset = Dataset()
    dataset.parse(data=serialize_rdf(graph, "nq"), format="nquads")
    assert isomorphic(dataset.graph(EXPORT_GRAPH), graph)


def test_jsonld_context_is_inline(graph):
    document = json.loads(serialize_rdf(graph, "jsonld"))
    assert isinstance(document["@context"], dict)
    assert "http" not in json.dumps(document["@context"]).split('"cs"')[0]


def test_owl_time_view(history):
    view = owl_time_view(history)
    relations = history.all_relations()
    intervals = set(view.subjects(RDF.type, TIME.Interval))
    assert len(intervals) == len(relations)
    ended = [r for r in relations if r.end is not None]
    assert len(list(view.triples((None, TIME.hasEnd, None)))) == len(ended)
    coarse = [r for r in relations if r.start_precision != "day"]
    assert len(set(view.subjects(RDF.type, TIME.DateTimeDescription))) >= len(coarse)
    back = Graph().parse(data=serialize_rdf(view, "ttl"), format="turtle")
    assert isomorphic(back, view)


def test_cli_snapshot(tmp_path):
    out = tmp_path / "2007.graphml"
    result = CliRunner().invoke(cli, ["snapshot", "--year", "2007", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out}: ")
    assert nx.read_graphml(out).number_of_nodes() > 0


def test_cli_snapshot_errors(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["snapshot", "--year", "2007", "--out", str(tmp_path / "x.doc")])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {tmp_path / 'x.doc'}: unknown snapshot file extension "
        "(known: .graphml, .gexf, .json, .csv)\n"
    )
    result = runner.invoke(
        cli, ["snapshot", "--year", "2007", "--on", "2007-01-01", "--out", str(tmp_path / "x.gexf")]
    )
    assert result.exit_code == 2
    assert "give --year or --on, not both" in result.output
    result = runner.invoke(cli, ["snapshot", "--possible", "--out", str(tmp_path / "x.gexf")])
    assert result.exit_code == 2
    assert "--possible needs --year or --on" in result.output
    assert list(tmp_path.iterdir()) == []


def test_whole_span_is_one_dynamic_gexf(tmp_path, history):
    """No year: every relation as one dynamic GEXF that Gephi's timeline plays, read back."""
    out = tmp_path / "all.gexf"
    result = CliRunner().invoke(cli, ["snapshot", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("(all time, dynamic).\n")
    assert 'mode="dynamic"' in out.read_text() and 'timeformat="date"' in out.read_text()
    back = nx.read_gexf(out)
    assert back.graph["mode"] == "dynamic"
    relations = {r.id: r for r in history.all_relations()}
    edges = {key: d for _, _, key, d in back.edges(keys=True, data=True)}
    assert set(edges) == set(relations)
    for rid, relation in relations.items():
        assert edges[rid]["start"] == relation.start.isoformat()
        assert edges[rid].get("end") == (relation.end.isoformat() if relation.end else None)
    # a node's spells are the merged spans of its relations: Uzbekistan left the treaty in
    # 1999 and came back in 2006, so its CSTO-lineage spells have a gap
    csto = CliRunner().invoke(
        cli, ["snapshot", "--org", "CSTO", "--kind", "member-of", "--out", str(tmp_path / "c.gexf")]
    )
    assert csto.exit_code == 0, csto.output
    spells = nx.read_gexf(tmp_path / "c.gexf").nodes["cs:uzbekistan"]["spells"]
    assert spells[0] == ("1992-05-15", "1999-04-20")
    assert spells[1][0] == "2006-08-16"


def ground(graph: Graph) -> set[tuple[object, object, object]]:
    return {t for t in decimals_by_value(graph) if not any(isinstance(x, BNode) for x in t)}


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt")])
def test_cli_export(tmp_path, graph, fmt, parser):
    out = tmp_path / f"graph.{fmt}"
    result = CliRunner().invoke(cli, ["export", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    back = Graph().parse(out, format=parser)
    assert len(back) == len(graph)  # isomorphism: per file above (fast); here the ground part
    assert ground(back) == ground(graph)


def test_cli_export_owl_time_to_stdout():
    result = CliRunner().invoke(cli, ["export", "--owl-time", "--format", "nt"])
    assert result.exit_code == 0
    assert "<http://www.w3.org/2006/time#hasBeginning>" in result.output
    result = CliRunner().invoke(cli, ["export", "--format", "xml"])
    assert result.exit_code == 2
