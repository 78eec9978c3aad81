"""Synthetic graphs: valid against the shapes and violation queries, deterministic per seed,
every relation kind and the realistic shapes present, written atomically; the synth command."""

from __future__ import annotations

import re
from collections import Counter

import click
import pytest
from click.testing import CliRunner

from cstograph.cli.stores import register
from cstograph.errors import InputError
from cstograph.io import paths
from cstograph.io.parse import new_graph, parse_file
from cstograph.io.synth import KIND_SHARES, SynthStats, synthesize, turtle_chunks, write_turtle
from cstograph.model.terms import CST, ORG, RDF, SCHEMA
from cstograph.validation import validate_graph

CLASSES = {
    "member-of": CST.AllianceMembership,
    "not-member-of": CST.NonMembership,
    "contributes-to-force": CST.ForceContribution,
    "hosts-base": CST.BasingArrangement,
    "holds-office": CST.OfficeHolding,
}


@pytest.mark.parametrize("relations,seed", [(120, 1), (250, 42)])
def test_synthetic_graph_validates(relations, seed):
    graph = new_graph()
    parse_file(graph, paths.ontology_file())
    graph += synthesize(relations, seed)
    report = validate_graph(graph)
    assert report.shape_violations == []
    assert report.query_violations == []
    assert report.conforms


def test_every_kind_in_its_share():
    graph = synthesize(1000, seed=5)
    counts = {kind: len(set(graph.subjects(RDF.type, cls))) for kind, cls in CLASSES.items()}
    assert counts == {kind: int(1000 * share) for kind, share in KIND_SHARES.items()}
    assert sum(counts.values()) == 1000


def test_realistic_shapes():
    text = "".join(turtle_chunks(3000, seed=9))
    graph = synthesize(3000, seed=9)
    memberships = list(graph.subjects(RDF.type, CST.AllianceMembership))
    pairs = Counter(
        (graph.value(m, ORG.member), graph.value(m, ORG.organization)) for m in memberships
    )
    assert max(pairs.values()) >= 3  # resumed memberships
    assert sum(1 for m in memberships if graph.value(m, SCHEMA.endDate) is None) > 100  # open
    for unit in ("unitDay", "unitMonth", "unitYear"):
        assert text.count(f"cst:startPrecision time:{unit}") > 100
    for word in ("cst:NotLaterThan", "cst:NotEarlierThan", "cst:conflictsWith", "cst:personnel"):
        assert word in text
    assert len(set(graph.subjects(RDF.type, CST.State))) >= 300
    assert len(re.findall(r'cst:locator "(paragraph|article|table|p\.) ', text)) >= 3000


def test_deterministic_per_seed():
    assert "".join(turtle_chunks(500, seed=3)) == "".join(turtle_chunks(500, seed=3))
    assert "".join(turtle_chunks(500, seed=3)) != "".join(turtle_chunks(500, seed=4))


def test_write_turtle(tmp_path):
    out = tmp_path / "synthetic.ttl"
    stats = write_turtle(out, 200, seed=1)
    assert isinstance(stats, SynthStats) and stats.total == 200
    assert out.read_text(encoding="utf-8") == "".join(turtle_chunks(200, seed=1))
    assert stats.bytes == out.stat().st_size
    assert [p.name for p in tmp_path.iterdir()] == ["synthetic.ttl"]


def test_write_turtle_failure_keeps_the_old_file(tmp_path):
    out = tmp_path / "synthetic.ttl"
    out.write_text("old", encoding="utf-8")
    with pytest.raises(InputError, match="--relations must be 0 or more, not -1"):
        write_turtle(out, -1)
    assert out.read_text(encoding="utf-8") == "old"
    with pytest.raises(InputError, match="cannot write"):
        write_turtle(tmp_path / "no" / "such.ttl", 10)
    assert [p.name for p in tmp_path.iterdir()] == ["synthetic.ttl"]


@pytest.fixture
def group() -> click.Group:
    group = click.Group("cstograph")
    register(group)
    return group


def test_synth_command(group, tmp_path):
    out = tmp_path / "s.ttl"
    result = CliRunner().invoke(
        group, ["synth", "--relations", "100", "--seed", "2", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    size = out.stat().st_size
    assert result.output == (
        "Wrote 100 relations (40 member-of, 12 not-member-of, 16 contributes-to-force, "
        f"16 hosts-base, 16 holds-office) to {out}: {size} bytes.\n"
    )


def test_synth_command_unwritable(group, tmp_path):
    out = tmp_path / "missing" / "s.ttl"
    result = CliRunner().invoke(group, ["synth", "--relations", "10", "--out", str(out)])
    assert (result.exit_code, result.output) == (
        2,
        f"Error: {out}: cannot write: No such file or directory\n",
    )
