"""Metrics: one registry, consistent with the snapshots, rendered by the one output layer."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from cstograph.analysis.metrics import COLUMNS, METRICS, metric_names, metrics_table
from cstograph.analysis.projection import projection
from cstograph.analysis.snapshot import scope, snapshot
from cstograph.cli import cli
from cstograph.errors import InputError
from cstograph.index.history import History


@pytest.fixture(scope="module")
def history(graph):
    return History(graph)


@pytest.fixture(scope="module")
def table(history):
    return metrics_table(history, 1995, 2015)


def test_every_metric_is_defined_once():
    names = metric_names()
    assert len(names) == len(set(names))
    assert all(m.definition.endswith(".") and m.per for m in METRICS)


def test_rows_have_the_columns_and_known_metrics(table):
    assert table and all(tuple(row) == COLUMNS for row in table)
    assert {row["metric"] for row in table} <= set(metric_names())
    assert {row["year"] for row in table} == set(range(1995, 2016))


def value(table, year, metric, entity="", default=None):
    found = [
        r["value"] for r in table if (r["year"], r["metric"], r["id"]) == (year, metric, entity)
    ]
    if not found and default is not None:
        return default
    assert len(found) == 1, (year, metric, entity)
    return found[0]


def test_members_agree_with_history(history, table):
    for year in (2003, 2007, 2012):
        members = {r.subject.id for r in history.members("CSTO", year=year)}
        assert value(table, year, "members", "cs:csto") == len(members)


def test_joins_and_exits_follow_members(table):
    orgs = {r["id"] for r in table if r["metric"] == "members"}
    for org in orgs:
        for year in range(1996, 2016):
            before = value(table, year - 1, "members", org, default=0)
            now = value(table, year, "members", org, default=0)
            joins = value(table, year, "joins", org, default=0)
            exits = value(table, year, "exits", org, default=0)
            assert now - before == joins - exits, (org, year)


def test_graph_metrics_agree_with_the_snapshot(history, table):
    g = snapshot(history, year=2010)
    assert value(table, 2010, "relations") == g.number_of_edges()
    russian = sum("cs:russia" in (u, v, d["operator"]) for u, v, d in g.edges(data=True))
    assert value(table, 2010, "russia_share") == round(russian / g.number_of_edges(), 4)
    p = projection(g)
    assert value(table, 2010, "degree_centrality", "cs:russia") == round(
        p.degree("cs:russia") / (len(p) - 1), 4
    )
    assert 0 <= value(table, 2010, "density") <= 1


def test_org_restriction(history):
    rows = metrics_table(history, 2010, 2010, org="CSTO", metrics=["members", "contributors"])
    assert {r["id"] for r in rows} <= scope(history, ["CSTO"])
    assert any(r["id"] == "cs:csto" for r in rows)


def test_unknown_metric(history):
    with pytest.raises(InputError, match="unknown metric 'happiness'"):
        metrics_table(history, 2000, 2001, metrics=["happiness"])


def test_cli_formats():
    runner = CliRunner()
    args = ["metrics", "--from", "2009", "--to", "2010", "--org", "CSTO", "--metric", "members"]
    result = runner.invoke(cli, [*args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    # --org CSTO also covers the treaty it was renamed from, whose parties stay parties (no end)
    csto = [r for r in rows if r["entity"] == "Collective Security Treaty Organization"]
    assert [r["year"] for r in csto] == ["2009", "2010"]
    assert {r["entity"] for r in rows} <= {csto[0]["entity"], "Collective Security Treaty"}
    result = runner.invoke(cli, [*args, "--format", "json"])
    assert sorted({r["year"] for r in json.loads(result.output)}) == [2009, 2010]
    result = runner.invoke(cli, [*args, "--format", "table"])
    assert result.output.splitlines()[0].split() == list(COLUMNS)


def test_cli_list_and_errors():
    runner = CliRunner()
    result = runner.invoke(cli, ["metrics", "--list"])
    assert result.exit_code == 0 and "russia_share" in result.output
    result = runner.invoke(cli, ["metrics", "--from", "2010", "--to", "2000"])
    assert result.exit_code == 2
    result = runner.invoke(cli, ["metrics", "--org", "Atlantis League"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: no entity is called 'Atlantis League'")
    assert len(result.output.splitlines()) == 1
