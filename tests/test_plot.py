"""Diagrams: the right file format, the expected number of drawn nodes and bars, identical
SVG on two runs, and matplotlib kept out of the commands that do not draw."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cstograph.analysis.snapshot import snapshot
from cstograph.cli import cli
from cstograph.errors import PlotFormatError
from cstograph.index.history import History
from cstograph.viz.network import (
    NETWORK_KINDS,
    check_extension,
    grid_figure,
    metrics_figure,
    network_figure,
    save,
    timeline_figure,
)

MAGIC = {
    ".png": b"\x89PNG\r\n\x1a\n",
    ".pdf": b"%PDF-",
    ".svg": b"<?xml",
    ".gif": b"GIF89a",
}


@pytest.fixture(scope="module")
def history(graph):
    return History(graph)


def drawn_nodes(ax):
    return sum(
        len(c.get_offsets()) for c in ax.collections if (c.get_gid() or "").startswith("nodes:")
    )


def test_network_draws_every_node_of_the_snapshot(history):
    fig = network_figure(history, 2010)
    expected = snapshot(history, year=2010, kinds=NETWORK_KINDS).number_of_nodes()
    assert drawn_nodes(fig.axes[1]) == expected
    assert "2010" in fig.axes[1].get_title()


def test_grid_draws_each_year(history):
    fig = grid_figure(history, 2001, 2004)
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["2001", "2002", "2003", "2004"]
    for ax in panels:
        year = int(ax.get_title())
        expected = snapshot(history, year=year, kinds=NETWORK_KINDS).number_of_nodes()
        assert drawn_nodes(ax) == expected


def test_timeline_draws_one_bar_per_membership(history):
    fig = timeline_figure(history, 1995, 2015, org="CSTO")
    bars = [p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("bar:")]
    from cstograph.analysis.snapshot import scope

    within = scope(history, ["CSTO"])
    expected = [
        r
        for r in history.relations(between=("1995", "2015"))
        if r.kind in ("member-of", "not-member-of")
        and r.object.id in within
        and r.start.year <= 2015
    ]
    assert sorted(p.get_gid()[4:] for p in bars) == sorted(r.id for r in expected)


def test_metrics_figure_has_a_panel_per_metric(history):
    fig = metrics_figure(history, 2000, 2010, metrics=["members", "density"])
    assert len(fig.axes) == 2
    assert len(fig.axes[1].lines) == 1  # density: one line for the graph
    assert all(len(line.get_xdata()) == 11 for line in fig.axes[0].lines)


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_save_writes_the_format(tmp_path, history, suffix):
    path = save(metrics_figure(history, 2005, 2006, metrics=["relations"]), tmp_path / f"m{suffix}")
    assert path.read_bytes().startswith(MAGIC[suffix])


def test_svg_is_byte_identical_across_runs(tmp_path, history):
    a = save(network_figure(history, 2008), tmp_path / "a.svg").read_bytes()
    b = save(network_figure(history, 2008), tmp_path / "b.svg").read_bytes()
    assert a == b


def test_extension_checks():
    assert check_extension("animate", "x.GIF") == ".gif"
    with pytest.raises(PlotFormatError, match=r"written as \.png, \.svg, \.pdf, not \.gif"):
        check_extension("network", "x.gif")
    with pytest.raises(PlotFormatError):
        check_extension("animate", "x.png")


@pytest.mark.parametrize(
    "args,suffix",
    [
        (["network", "--year", "2009"], ".svg"),
        (["timeline", "--from", "2000", "--to", "2010"], ".pdf"),
        (["grid", "--from", "2008", "--to", "2010"], ".png"),
        (["metrics", "--from", "2005", "--to", "2010", "--metric", "members"], ".png"),
        (["animate", "--from", "2008", "--to", "2010"], ".gif"),
    ],
    ids=lambda v: v[0] if isinstance(v, list) else v,
)
def test_cli_plot(tmp_path, args, suffix):
    out = tmp_path / f"figure{suffix}"
    result = CliRunner().invoke(cli, ["plot", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {out}.\n"
    data = out.read_bytes()
    assert len(data) > 1000 and data.startswith(MAGIC[suffix])


def test_cli_plot_bad_extension(tmp_path):
    result = CliRunner().invoke(cli, ["plot", "network", "--out", str(tmp_path / "n.jpg")])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and len(result.output.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []
