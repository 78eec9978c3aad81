"""The main job end to end: validate, then snapshots, metrics, diagrams and index.html."""

from __future__ import annotations

import csv
import re

import networkx as nx
from click.testing import CliRunner

from cstograph.cli import cli


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
        "metrics.csv",
        "network.png",
        "network.svg",
        "timeline.png",
        "grid.png",
        "metrics.png",
        "network.gif",
        "index.html",
    }
    assert set(listed) == expected
    assert {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} == expected
    assert nx.read_graphml(out / "snapshots" / "2009.graphml").number_of_edges() > 0
    with (out / "metrics.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert {r["year"] for r in rows} == {"2008", "2009", "2010"}
    index = (out / "index.html").read_text(encoding="utf-8")
    shown = set(re.findall(r'(?:src|href)="([^"/]+\.(?:png|gif|svg|csv))"', index))
    assert shown == {
        "network.png",
        "network.svg",
        "timeline.png",
        "grid.png",
        "metrics.png",
        "network.gif",
        "metrics.csv",
    }
    assert index.count("<figcaption>") == 5


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
