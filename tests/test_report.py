"""The main job end to end: validate, then snapshots, metrics, the relations CSV, the graph
in Turtle, diagrams and index.html; and what the page says, checked against the index."""

from __future__ import annotations

import csv
import html
import re
from html.parser import HTMLParser

import networkx as nx
import pytest
from click.testing import CliRunner

from cstograph.analysis.membership import focus_states, membership_panels
from cstograph.cli import cli
from cstograph.index.conflicts import find_conflicts
from cstograph.index.history import History
from cstograph.model.terms import CST, DCTERMS, ONTOLOGY_IRI, OWL, RDF, RDFS, SCHEMA
from cstograph.report_page import Download, FigureEntry, page


def test_report_end_to_end(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["report", "--out", str(out), "--from", "2008", "--to", "2010"]
    )
    assert result.exit_code == 0, result.output
    listed = [line.strip() for line in result.stdout.splitlines()[1:]]
    assert result.stdout.splitlines()[0] == f"Wrote {len(listed)} files into {out}:"
    assert "Validating the graph ..." in result.stderr and "Done." in result.stderr
    expected = {f"snapshots/{y}.graphml" for y in (2008, 2009, 2010)} | {
        "all.gexf",
        "metrics.csv",
        "relations.csv",
        "graph.ttl",
        "matrix.png",
        "network.png",
        "network.svg",
        "timeline.png",
        "grid.png",
        "metrics.png",
        "index.html",
        "explorer.html",
    }
    assert set(listed) == expected
    assert {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} == expected
    assert nx.read_graphml(out / "snapshots" / "2009.graphml").number_of_edges() > 0
    dynamic = nx.read_gexf(out / "all.gexf")
    assert dynamic.graph.get("mode") == "dynamic" and dynamic.number_of_edges() > 100
    with (out / "metrics.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert {r["year"] for r in rows} == {"2008", "2009", "2010"}
    index = (out / "index.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)"', index)
    assert images == ["matrix.png", "network.png", "timeline.png", "grid.png", "metrics.png"]
    assert index.count("<figcaption>") == 5
    local = set(re.findall(r'(?:src|href)="(?!https?:|#)([^"]+)"', index))
    assert local == set(images) | {
        "snapshots/",
        "all.gexf",
        "relations.csv",
        "metrics.csv",
        "graph.ttl",
        "network.svg",
        "explorer.html",
    }
    assert all((out / name).exists() for name in local)
    # the page itself runs no script; the explorer it links to is a page of its own
    assert "<script" not in index
    assert "<script" in (out / "explorer.html").read_text(encoding="utf-8")


def test_report_refuses_an_invalid_graph(tmp_path):
    from .conftest import DATA

    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["report", "--out", str(out), "--data", str(DATA / "end-before-start.ttl")]
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith("Error: the graph does not validate")
    assert not out.exists()


# What the page says ---------------------------------------------------------------------


class Tables(HTMLParser):
    """Every table of a page as rows of cell texts, and every link."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.links: dict[str, str] = {}
        self._cell: list[str] | None = None
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "a" and self._href:
            self.links[self._href] = "".join(self._text).strip()
            self._href = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._href is not None:
            self._text.append(data)


@pytest.fixture(scope="module")
def shown(graph):
    history = History(graph)
    panels = membership_panels(history, 1991, 2026)
    text = page(
        history,
        graph,
        1991,
        2026,
        panels=panels,
        figures=[FigureEntry("matrix.png", "Who held which role", "See the cells.")],
        downloads=[Download("relations.csv", "every relation")],
        explorer="explorer.html",
        today="2026-12-02",
    )
    parsed = Tables()
    parsed.feed(text)
    return history, text, parsed


def test_page_members_table_counts_as_members_does(shown):
    history, _, parsed = shown
    [members] = [t for t in parsed.tables if t[0][0] == "year"]
    head = members[0][1:]
    names = {short: history.resolve(short).id for short in head}
    checked = 0
    for row in members[1:]:
        first, _, last = row[0].partition("–")
        for year in range(int(first), int(last or first) + 1):
            for short, cell in zip(head, row[1:], strict=True):
                states = {
                    r.subject.id
                    for r in history.members(names[short], year=year)
                    if (history.iri(r.subject.id), RDF.type, CST.State) in history.graph
                }
                if cell:
                    assert int(cell) == len(states), (short, year)
                    checked += 1
                else:
                    assert not states, (short, year)
    assert checked > 200
    years = [r[0] for r in members[1:]]
    assert "2024–2026" in years  # years with the same counts share a row


def test_page_lists_changes_by_year_and_conflicts(shown, graph):
    _, text, parsed = shown
    assert (
        "Collective Security Treaty Organization: Uzbekistan full member → suspended"
        in html.unescape(text)
    )
    [conflicts] = [t for t in parsed.tables if t[0][0] == "claims kept"]
    within = [
        g
        for g in find_conflicts(graph)
        if any(1991 <= c.record.start.year <= 2027 for c in g.claims)
    ]
    assert len(conflicts) - 1 == len(within) < len(find_conflicts(graph))  # Germany, 1955
    assert all(row[2].startswith(("settled", "open")) for row in conflicts[1:])


def test_page_says_what_the_graph_covers(shown, graph):
    _, text, parsed = shown
    [scope] = [t for t in parsed.tables if t[0][0] == "organization"]
    statements = list(graph.subject_objects(CST.coverage))
    assert len(scope) - 1 == len(statements)
    plain = html.unescape(text)
    for _, statement in statements:
        assert str(graph.value(statement, RDFS.comment)) in plain
    nato = [row for row in scope if row[0] == "North Atlantic Treaty Organization"]
    assert nato[0][1] == "in part"


def test_page_lists_every_source_with_its_link(shown, graph):
    _, _, parsed = shown
    sources = set(graph.subjects(RDF.type, CST.SourceDocument))
    linked = {str(graph.value(s, SCHEMA.url)): s for s in sources if graph.value(s, SCHEMA.url)}
    assert linked and set(linked) <= set(parsed.links)
    for url, source in linked.items():
        assert parsed.links[url] == str(graph.value(source, DCTERMS.title))


def test_page_has_date_version_findings_and_the_explorer_link(shown, graph):
    history, text, parsed = shown
    version = graph.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert "Generated 2026-12-02 by cstograph" in text and f"(ontology {version})" in text
    csto = {r.subject.id for r in history.members("CSTO", year=2026)}
    assert f"Collective Security Treaty Organization: {len(csto)} members in 2026" in text
    hosted = {
        (r.object.id, r.operator.label if r.operator else "")
        for r in history.relations("hosts-base", year=2026)
        if r.subject.id in set(focus_states(history))
    }
    by_russia = sum(1 for _, user in hosted if user == "Russia")
    assert f"host {len(hosted)} bases and units" in text and f"{by_russia} used by Russia" in text
    groups = [
        g
        for g in find_conflicts(graph)
        if any(1991 <= c.record.start.year <= 2027 for c in g.claims)
    ]
    assert f"Sources disagree in {len(groups)} places" in text
    assert parsed.links["explorer.html"].startswith("Open the interactive explorer")
    assert "<script" not in text and "default-src 'none'" in text


def test_report_writes_and_links_the_explorer_when_given_a_writer(tmp_path, graph):
    from cstograph.export.graph import write_text
    from cstograph.report import build_report

    seen = []

    def explorer(history, path):
        seen.append(len(history.all_relations()))
        return write_text(path, "<!doctype html><title>explorer</title>")

    out = tmp_path / "out"
    written = build_report(out, start=2009, end=2010, graph=graph, explorer=explorer)
    assert out / "explorer.html" in written and seen and seen[0] > 100
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="explorer.html">Open the interactive explorer</a>' in index
    assert re.findall(r'src="([^"]+)"', index) and all(
        not src.startswith(("http:", "https:", "//")) for src in re.findall(r'src="([^"]+)"', index)
    )


def test_captions_cite_what_the_data_says(graph):
    from cstograph.report import _figures
    from cstograph.report_findings import stories

    history = History(graph)
    told = stories(history, 1949, 2026)
    states = {
        r.subject.id
        for r in history.relations(year=2026)
        if r.kind in ("member-of", "contributes-to-force", "hosts-base")
        and r.subject.id in set(focus_states(history))
    }
    assert told["network"].startswith(f"{len(states)} states, ")
    assert told["region_start"] == "1991"
    assert "2012: CSTO: Uzbekistan full member → suspended" in told["turning"]
    captions = {name: caption for _, name, _, caption in _figures(1949, 2026, told)}
    assert told["turning"] in captions["matrix.png"]
    assert "From 1991" in captions["metrics.png"]
    assert "North Atlantic Treaty Organization" in captions["metrics.png"]  # recorded in part


def test_page_spells_out_the_table_abbreviations(shown):
    _, text, _ = shown
    assert '<p class="key">' in text and "EEU: Eurasian Economic Union" in text
