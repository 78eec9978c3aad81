"""The fast path gives the same interval index as reading an rdflib graph."""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

import pytest

from cstograph.fastload import history_from_file, load_history
from cstograph.history import History
from cstograph.snapshot import snapshots
from cstograph.store import load
from cstograph.synth import write_turtle


def records(history: History) -> list[tuple[object, ...]]:
    """Every field of every relation, the hidden ranges and role IRI too."""
    return [(*astuple(r), r.start_range, r.end_range, r.role_iri) for r in history.all_relations()]


@pytest.fixture(autouse=True)
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTOGRAPH_CACHE", "off")


@pytest.mark.parametrize("claims", ["preferred", "all"])
def test_shipped_graph_same_records(claims: str) -> None:
    slow = History(load(), claims=claims)
    fast = load_history(claims=claims)
    assert records(fast) == records(slow)
    assert len(fast.all_relations()) > 100


def test_shipped_graph_same_answers() -> None:
    slow, fast = History(load()), load_history()
    assert fast.members("CSTO", year=2007) == slow.members("CSTO", year=2007)
    assert fast.timeline("Kant air base") == slow.timeline("Kant air base")
    assert fast.diff(2005, 2013, org="CSTO") == slow.diff(2005, 2013, org="CSTO")
    assert fast.resolve("Q813") == slow.resolve("Q813")
    for (year, a), (_, b) in zip(
        snapshots(fast, 2000, 2003), snapshots(slow, 2000, 2003), strict=True
    ):
        assert sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))
        assert dict(a.nodes(data=True)) == dict(b.nodes(data=True)), year


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fastload") / "synthetic.ttl"
    write_turtle(path, 3000, seed=5)
    return path


def test_synthetic_graph_same_records(synthetic: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSTOGRAPH_CACHE", "off")
    slow = History(load([synthetic], include_graph=False), claims="all")
    fast = history_from_file(synthetic, claims="all")
    assert len(fast.all_relations()) == 3000
    assert records(fast) == records(slow)
    org = fast.all_relations()[0].object.id
    assert fast.members(org, year=2010) == slow.members(org, year=2010)


def test_split_relation_falls_back(tmp_path: Path) -> None:
    """A relation node written in two pieces is read by rdflib, with the same answers."""
    data = tmp_path / "split.ttl"
    data.write_text(
        "@prefix cs: <https://w3id.org/cstograph/id/> .\n"
        "@prefix cst: <https://w3id.org/cstograph/ontology#> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n"
        "@prefix schema: <https://schema.org/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "cs:m1 a cst:AllianceMembership ; org:member cs:russia ; org:organization cs:csto .\n"
        "cs:russia schema:description 'x' .\n"
        'cs:m1 org:role cst:FullMember ; schema:startDate "2001-02-03"^^xsd:date .\n',
        encoding="utf-8",
    )
    fast = load_history([data])
    slow = History(load([data]))
    assert records(fast) == records(slow)
    assert "cs:m1" in {r.id for r in fast.all_relations()}
