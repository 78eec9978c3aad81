"""Diagrams: what each one draws (cells by role, edges by role and grade, labels, gaps where
an organization did not exist), counted against the index; the right file format, identical
SVG on two runs, and matplotlib kept out of the commands that do not draw."""

from __future__ import annotations

import math

import pytest
from click.testing import CliRunner

from cstograph.analysis.membership import focus_states
from cstograph.analysis.snapshot import scope
from cstograph.cli import cli
from cstograph.errors import PlotFormatError
from cstograph.index.history import History
from cstograph.viz.figures import check_extension, save
from cstograph.viz.grid import grid_figure, grid_years
from cstograph.viz.matrix import matrix_figure
from cstograph.viz.metrics import metrics_figure
from cstograph.viz.network import network_figure, network_graph
from cstograph.viz.timeline import timeline_figure

MAGIC = {
    ".png": b"\x89PNG\r\n\x1a\n",
    ".pdf": b"%PDF-",
    ".svg": b"<?xml",
    ".gif": b"GIF89a",
}


@pytest.fixture(scope="module")
def history(graph):
    return History(graph)


def gids(ax, prefix):
    """The artists of ``ax`` whose gid starts with ``prefix``, by gid."""
    found = {}
    for artist in [*ax.collections, *ax.texts, *ax.patches, *ax.lines]:
        gid = artist.get_gid() or ""
        if gid.startswith(prefix):
            found[gid] = artist
    return found


# The membership matrix -------------------------------------------------------------------


def expected_cells(history, org, states, start, end):
    """(role, grade) -> cell count, from ``history.relations`` year by year: the role of the
    relation begun last among those in effect (held ones before imprecise ones)."""
    counts: dict[tuple[str, str], int] = {}
    for state in states:
        for year in range(start, end + 1):
            found = [
                r
                for r in history.relations("member-of", subject=state, object=org, year=year)
                if history.resolve(r.subject.id).id == state
            ]
            if found:
                last = max(found, key=lambda r: (r.grade == "held", r.start, r.id))
                key = (last.role, last.grade)
                counts[key] = counts.get(key, 0) + 1
    return counts


@pytest.mark.parametrize("org", ["cs:csto", "cs:cst", "cs:eurasec", "cs:sco"])
def test_matrix_counts_cells_by_role_as_the_index_does(history, org):
    states = focus_states(history)
    fig = matrix_figure(history, 1991, 2026, orgs=[org], states=states)
    drawn = {
        tuple(gid.split(":", 3)[3].rsplit(":", 1)): len(c.get_paths())
        for gid, c in gids(fig.axes[0], f"cells:{org}:").items()
    }
    assert drawn == expected_cells(history, org, states, 1991, 2026)


def test_matrix_shows_roles_that_are_not_full_membership(history):
    fig = matrix_figure(history, 1991, 2026, orgs=["cs:csto"], states=focus_states(history))
    cells = gids(fig.axes[0], "cells:cs:csto:")
    assert len(cells["cells:cs:csto:suspended:held"].get_paths()) == 2026 - 2012 + 1
    assert len(cells["cells:cs:csto:participation frozen:held"].get_paths()) == 2026 - 2024 + 1
    legend = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert {"full member", "suspended", "participation frozen"} <= set(legend)


def test_matrix_leaves_years_before_founding_and_after_dissolution_blank(history):
    fig = matrix_figure(history, 1991, 2026, orgs=["cs:eurasec", "cs:eaeu"])
    eurasec, eaeu = fig.axes
    for ax, org, first, last in (
        (eurasec, "cs:eurasec", 2001, 2014),
        (eaeu, "cs:eaeu", 2015, 2026),
    ):
        years = [
            round(path.vertices[:, 0].min())
            for gid, cells in gids(ax, f"cells:{org}:").items()
            for path in cells.get_paths()
        ]
        assert min(years) >= first and max(years) <= last
        [band] = gids(ax, f"life:{org}").values()
        lefts = {round(p.vertices[:, 0].min()) for p in band.get_paths()}
        rights = {round(p.vertices[:, 0].max()) for p in band.get_paths()}
        assert lefts == {first} and rights == {last + 1}
    assert "EAEC" in eurasec.get_title(
        "left"
    ) and "Eurasian Economic Community" in eurasec.get_title("left")


def test_matrix_says_which_organizations_are_recorded_in_part(history):
    fig = matrix_figure(history, 1991, 2026, orgs=["cs:nato", "cs:csto"])
    nato, csto = (ax.get_title("left") for ax in fig.axes)
    assert "recorded in part" in nato and "recorded in part" not in csto


def test_matrix_axis_starts_with_the_data(history):
    fig = matrix_figure(history, 1949, 2026)  # the CSTO's states: nothing before 1991
    assert fig.axes[0].get_xlim()[0] == 1991


# The network of a year -------------------------------------------------------------------


def test_network_draws_every_node_of_the_year_in_its_column(history):
    fig = network_figure(history, 2010)
    graph = network_graph(history, 2010, states=focus_states(history))
    nodes = gids(fig.axes[0], "node:")
    assert sorted(g.rsplit(":", 2)[-2] + ":" + g.rsplit(":", 1)[-1] for g in nodes) == sorted(
        graph.nodes
    )
    columns = {g.split(":")[1]: set() for g in nodes}
    for gid, text in nodes.items():
        columns[gid.split(":")[1]].add(round(text.get_position()[0]))
    assert columns["state"] == {1} and columns["organization"] == {2}
    assert columns["base or unit"] == {0}
    assert {g.split(":", 2)[2] for g in nodes if g.startswith("node:state:")} == set(
        focus_states(history)
    )


def test_network_draws_each_role_in_its_own_style(history):
    fig = network_figure(history, 2022)
    graph = network_graph(history, 2022, states=focus_states(history))
    edges = gids(fig.axes[0], "edges:")
    for gid, lines in edges.items():
        _, kind, role, grade = gid.split(":")
        expected = [
            (u, v)
            for u, v, d in graph.edges(data=True)
            if (d["kind"], d["role"], d["grade"]) == (kind, role, grade)
        ]
        assert len(lines.get_segments()) == len(expected), gid
    suspended = edges["edges:member-of:suspended:held"]
    full = edges["edges:member-of:full member:held"]
    assert len(suspended.get_segments()) == 1  # Uzbekistan in the CSTO, not a full member
    assert tuple(suspended.get_colors()[0]) != tuple(full.get_colors()[0])
    assert "rolemarks:suspended" in gids(fig.axes[0], "rolemarks:")


def test_network_dashes_an_edge_whose_bounds_are_imprecise(history):
    fig = network_figure(history, 2017)  # Kant air base: an end known to the year
    imprecise = gids(fig.axes[0], "edges:hosts-base::bounds imprecise")
    [lines] = imprecise.values()
    assert len(lines.get_segments()) == 3
    _, dashes = lines.get_linestyle()[0]
    assert dashes is not None  # a dashed line, not solid
    [held] = gids(fig.axes[0], "edges:member-of:full member:held").values()
    assert held.get_linestyle()[0][1] is None


def test_network_draws_bases_with_their_user_and_not_after_they_closed(history):
    texts_2010 = {t.get_gid(): t.get_text() for t in network_figure(history, 2010).axes[0].texts}
    texts_2026 = {t.get_gid(): t.get_text() for t in network_figure(history, 2026).axes[0].texts}
    assert texts_2010["node:base or unit:cs:manas-air-base"].endswith("(US)")
    assert "node:base or unit:cs:manas-air-base" not in texts_2026
    assert texts_2026["node:base or unit:cs:kant-air-base"] == "Kant air base (Russia)"


def test_network_spells_out_every_abbreviation(history):
    fig = network_figure(history, 2026)
    [key] = [ax for ax in fig.axes if (ax.get_gid() or "").startswith("key:")]
    text = " ".join(t.get_text() for t in key.texts).replace("\n", " ")
    shown = {t.get_text().replace("\n", " ") for t in fig.axes[0].texts}
    for short in key.get_gid()[4:].split():
        assert short in shown
    for pair in ("EEU: Eurasian Economic Union", "CSTO: Collective Security Treaty Organization"):
        assert pair in text
    assert "CRRF: CSTO joint rapid-reaction force" in text


def test_network_of_an_organization_recorded_in_part_says_so(history):
    fig = network_figure(history, 2026, org="NATO")
    assert "recorded in part" in fig.axes[0].get_title("left")
    every_role = {r.subject.id for r in history.members("NATO", year=2026, role="all")}
    assert {g.split(":", 2)[2] for g in gids(fig.axes[0], "node:state:")} == every_role
    assert fig.axes[0].get_xlim()[0] > 0  # no bases: no blank left third


def test_network_leaves_stated_non_memberships_out(history):
    graph = network_graph(history, 2014, states=None)
    assert all(d["kind"] != "not-member-of" for _, _, d in graph.edges(data=True))


# Small multiples --------------------------------------------------------------------------


def test_grid_shows_the_turning_points(history):
    years = grid_years(history, 1991, 2026)
    assert {1992, 2003, 2006, 2012, 2024, 2026} <= set(years)
    fig = grid_figure(history, 1991, 2026)
    titles = [ax.get_title("left").replace("\n", " ") for ax in fig.axes if ax.get_title("left")]
    assert [int(t[:4]) for t in titles] == years
    [uzbekistan] = [t for t in titles if t.startswith("2012")]
    assert "CSTO: Uzbekistan full member → suspended" in uzbekistan
    for ax, year in zip(fig.axes, years, strict=False):
        states = {g for g in gids(ax, "node:state:")}
        expected = network_graph(history, year, states=focus_states(history))
        assert len(states) == sum(
            1 for _, d in expected.nodes(data=True) if d["class"] == "cst:State"
        )


# The timeline -----------------------------------------------------------------------------


def test_timeline_draws_one_bar_per_membership_and_statement(history):
    fig = timeline_figure(history, 1995, 2015, org="CSTO")
    ax = fig.axes[1]
    bars = gids(ax, "bar:")
    within = scope(history, ["CSTO"])
    expected = [
        r
        for r in history.relations(between=("1995", "2015"))
        if r.kind in ("member-of", "not-member-of") and r.object.id in within
    ]
    assert sorted(g[4:] for g in bars) == sorted(r.id for r in expected)
    statements = [r.id for r in expected if r.kind == "not-member-of"]
    assert statements and {
        bars[f"bar:{s}"].get_y() + bars[f"bar:{s}"].get_height() / 2 for s in statements
    } == {0}
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels.count("Armenia") == 1 and labels[0] == "stated non-members"


def test_timeline_names_its_events_and_starts_with_the_data(history):
    fig = timeline_figure(history, 1949, 2026, org="CSTO")
    band, ax = fig.axes
    names = {t.get_text().strip() for t in gids(band, "event:").values()}
    assert {"CST founded", "CST → CSTO", "CRRF founded"} <= names
    from matplotlib.dates import num2date

    assert num2date(ax.get_xlim()[0]).year == 1992
    [key] = [t for t in fig.texts if (t.get_gid() or "").startswith("key:")]
    spelt = key.get_text().replace("\n", " ")
    for pair in ("KMS: CSTO Collective Peacekeeping Forces", "CST: Collective Security Treaty"):
        assert pair in spelt
    assert "CSTO PA: Parliamentary Assembly of the Collective Security Treaty Organization" in spelt


def test_timeline_gives_routine_events_short_names(history):
    """Sessions and exercises are named by body and place, or by the exercise's own name,
    never as a cut-off label; the key spells out the abbreviation they use."""
    fig = timeline_figure(history, 1992, 2026, org="CSTO")
    band, _ = fig.axes
    drawn = {gid: t.get_text().strip() for gid, t in gids(band, "event:").items()}
    assert drawn["event:cs:event-csc-session-2023-minsk"] == "CSC session, Minsk"
    assert drawn["event:cs:event-exercise-interaction-2019"] == "Interaction-2019"
    assert not [n for n in drawn.values() if n.startswith(("Session of", "Exercise"))]
    [key] = [t for t in fig.texts if (t.get_gid() or "").startswith("key:")]
    assert "CSC: CSTO Collective Security Council" in key.get_text().replace("\n", " ")


# Metrics --------------------------------------------------------------------------------


def test_metrics_leave_gaps_before_an_organization_existed(history):
    fig = metrics_figure(history, 2000, 2026, metrics=["members"])
    series = {line.get_gid(): line for ax in fig.axes for line in ax.lines if line.get_gid()}
    eaeu = series["series:members:cs:eaeu"]
    values = dict(zip(eaeu.get_xdata(), eaeu.get_ydata(), strict=True))
    assert all(math.isnan(values[y]) for y in range(2000, 2015))
    assert values[2015] == 5
    eurasec = dict(zip(*series["series:members:cs:eurasec"].get_data(), strict=True))
    assert math.isnan(eurasec[2015]) and eurasec[2010] > 0
    assert all(ax.get_ylim()[0] == 0 for ax in fig.axes if ax.lines)
    titles = [ax.get_title() for ax in fig.axes]
    assert "NATO (recorded in part)" in titles and "CSTO" in titles
    [key] = [t for sub in fig.subfigs for t in sub.texts if (t.get_gid() or "").startswith("key:")]
    assert "EEU: Eurasian Economic Union" in key.get_text().replace("\n", " ")


def test_metrics_lines_differ_without_colour_and_are_labelled(history):
    fig = metrics_figure(history, 2000, 2020, metrics=["bases_operated", "density"])
    operated = [
        ax for ax in fig.axes if any("bases_operated" in (x.get_gid() or "") for x in ax.lines)
    ]
    [ax] = operated
    looks = {(line.get_linestyle(), line.get_marker()) for line in ax.lines}
    assert len(looks) == len(ax.lines) == 2
    assert {t.get_text() for t in ax.texts} == {"Russia", "United States"}


# Files and the command ------------------------------------------------------------------


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
        (["matrix", "--from", "2000", "--to", "2010", "--org", "CSTO"], ".png"),
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
