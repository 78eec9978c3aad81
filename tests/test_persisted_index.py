"""The relation table ``load`` writes into an Oxigraph store (:mod:`cstograph.index.table`)
answers every temporal question exactly as the records read from every triple do, on the
shipped graph, on synthetic stores and on random graphs; a store changed behind its back is
noticed and indexed again; the table swaps in with the store."""

from __future__ import annotations

import json
import tempfile
from dataclasses import astuple
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import numpy as np
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal

from cstograph import stores
from cstograph.analysis.metrics import metrics_table
from cstograph.analysis.series import series
from cstograph.analysis.snapshot import snapshot
from cstograph.analysis.sweep import snapshots
from cstograph.errors import UnknownEntityError
from cstograph.index.build import history_from_store
from cstograph.index.conflicts import find_conflicts
from cstograph.index.history import History, Relation
from cstograph.index.table import VERSION, open_table, write_table
from cstograph.index.table_history import TableHistory
from cstograph.io.parse import load
from cstograph.io.synth import write_turtle
from cstograph.model.terms import CS, CST, ORG, PROV, RDF, RDFS, SCHEMA, TIME
from cstograph.stores import swap
from cstograph.stores.oxigraph import INDEX, fingerprint, persisted_history
from cstograph.temporal import Grade, grade_rows, graded, window


def record(r: Relation) -> tuple[object, ...]:
    return (*astuple(r), r.start_range, r.end_range, r.role_iri)


def records(history: History) -> list[tuple[object, ...]]:
    return [record(r) for r in history.all_relations()]


@pytest.fixture(scope="module")
def store_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("persisted")
    synthetic = base / "synthetic.ttl"
    write_turtle(synthetic, 400, seed=5)
    dirs = {name: base / name for name in ("shipped", "synthetic", "synthetic-only", "extended")}
    stores.load_files(f"oxigraph:{dirs['shipped']}", [])
    stores.load_files(f"oxigraph:{dirs['synthetic']}", [synthetic])
    stores.load_files(f"oxigraph:{dirs['synthetic-only']}", [synthetic], shipped=False)
    stores.load_files(f"oxigraph:{dirs['extended']}", [])  # then extended: indexed from quads
    stores.load_files(f"oxigraph:{dirs['extended']}", [synthetic])
    return dirs


def both(path: Path, claims: str) -> tuple[History, History]:
    """The table's answers, and those of the records read from every quad."""
    table = stores.open_history(f"oxigraph:{path}", claims=claims)
    assert isinstance(table, TableHistory)  # the table, not a rebuild
    return table, history_from_store(stores.oxigraph.open_read_only(path), claims=claims)


STORES = ["shipped", "synthetic", "synthetic-only", "extended"]


@pytest.mark.parametrize("claims", ["preferred", "all"])
@pytest.mark.parametrize("name", STORES)
def test_same_records(store_dirs: dict[str, Path], name: str, claims: str) -> None:
    table, quads = both(store_dirs[name], claims)
    assert records(table) == records(quads)
    assert len(records(table)) > 100


def test_same_answers_shipped(store_dirs: dict[str, Path]) -> None:
    table, quads = both(store_dirs["shipped"], "preferred")
    assert table.members("CSTO", year=2007) == quads.members("CSTO", year=2007) != []
    assert table.members("CSTO", role="observer") == quads.members("CSTO", role="observer")
    for entity in ("Kant air base", "Armenia", "CSTO"):
        assert table.timeline(entity) == quads.timeline(entity)
    assert table.diff(2005, 2013, org="CSTO") == quads.diff(2005, 2013, org="CSTO")
    assert table.relations("hosts-base", on="2010-01-01") == quads.relations(
        "hosts-base", on="2010-01-01"
    )
    for name in ("Q813", "kyrgyz republic", "Collective Security Treaty Organisation"):
        assert table.resolve(name) == quads.resolve(name)
    for name in ("Atlantis", "CSTOO"):
        with pytest.raises(UnknownEntityError) as a:
            table.members(name)
        with pytest.raises(UnknownEntityError) as b:
            quads.members(name)
        assert str(a.value) == str(b.value)


@pytest.mark.parametrize("name", ["synthetic", "synthetic-only"])
@pytest.mark.parametrize("claims", ["preferred", "all"])
def test_same_answers_synthetic(store_dirs: dict[str, Path], name: str, claims: str) -> None:
    table, quads = both(store_dirs[name], claims)
    member = next(r for r in quads.all_relations() if r.kind == "member-of")
    org, state = member.object.id, member.subject.id
    for year in (1995, 2010, 2024):
        assert table.members(org, year=year) == quads.members(org, year=year)
        assert table.members(org, year=year, possible=True, role="all") == quads.members(
            org, year=year, possible=True, role="all"
        )
        assert table.relations(year=year, possible=True) == quads.relations(
            year=year, possible=True
        )
    assert table.timeline(state) == quads.timeline(state)
    assert table.timeline(org) == quads.timeline(org)
    assert table.diff(2000, 2015, org=org) == quads.diff(2000, 2015, org=org)
    assert table.diff("2005-06-30", "2020", kind="hosts-base") == quads.diff(
        "2005-06-30", "2020", kind="hosts-base"
    )


@pytest.mark.parametrize("name", ["shipped", "synthetic"])
def test_conflicts_from_the_table(store_dirs: dict[str, Path], name: str) -> None:
    table, quads = both(store_dirs[name], "all")
    groups = find_conflicts(table)
    assert groups and groups == find_conflicts(quads)


# -- a store changed behind the table ---------------------------------------------------------


def write_behind(path: Path) -> None:
    """Add a membership of Serbia in the CSTO with pyoxigraph, not through ``load``."""
    store = ox.Store(str(path))
    node = ox.NamedNode(str(CS["zz-behind"]))
    for p, o in (
        (RDF.type, ox.NamedNode(str(CST.AllianceMembership))),
        (ORG.member, ox.NamedNode(str(CS.serbia))),
        (ORG.organization, ox.NamedNode(str(CS.csto))),
        (ORG.role, ox.NamedNode(str(CST.FullMember))),
        (SCHEMA.startDate, ox.Literal("2007-03-01", datatype=ox.NamedNode(XSD_DATE))),
    ):
        store.add(ox.Quad(node, ox.NamedNode(str(p)), o, ox.DefaultGraph()))
    store.flush()
    del store


XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def test_reading_changes_nothing(store_dirs: dict[str, Path]) -> None:
    path = store_dirs["shipped"]
    before = fingerprint(path)
    stores.open_history(f"oxigraph:{path}").timeline("Armenia")  # opens the store's graph
    assert fingerprint(path) == before
    assert json.loads((path / INDEX / "meta.json").read_text())["fingerprint"] == before


def test_a_store_changed_behind_the_table_is_indexed_again(tmp_path: Path) -> None:
    path = tmp_path / "store"
    stores.load_files(f"oxigraph:{path}", [])
    old = json.loads((path / INDEX / "meta.json").read_text())["fingerprint"]
    assert "cs:zz-behind" not in {
        r.id for r in stores.open_history(f"oxigraph:{path}").members("CSTO", year=2007)
    }
    write_behind(path)
    assert fingerprint(path) != old
    with pytest.raises(Exception, match="another state of the store"):
        open_table(path / INDEX, fingerprint(path))
    history = stores.open_history(f"oxigraph:{path}")
    assert isinstance(history, TableHistory)  # rebuilt and written again
    assert "cs:zz-behind" in {r.id for r in history.members("CSTO", year=2007)}
    assert json.loads((path / INDEX / "meta.json").read_text())["fingerprint"] == fingerprint(path)
    assert records(history) == records(history_from_store(stores.oxigraph.open_read_only(path)))


def test_a_stale_table_is_not_rewritten_during_a_load(tmp_path: Path) -> None:
    """While a load holds the store, a reader answers from the quads and leaves the table."""
    path = tmp_path / "store"
    stores.load_files(f"oxigraph:{path}", [])
    write_behind(path)
    meta = (path / INDEX / "meta.json").read_text()
    with swap.locked(path, "test"):
        history = persisted_history(path)
    assert not isinstance(history, TableHistory)
    assert "cs:zz-behind" in {r.id for r in history.members("CSTO", year=2007)}
    assert (path / INDEX / "meta.json").read_text() == meta


def test_a_table_of_another_version_or_broken_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "store"
    stores.load_files(f"oxigraph:{path}", [])
    meta_path = path / INDEX / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta_path.write_text(json.dumps({**meta, "version": VERSION + 1}))
    assert isinstance(stores.open_history(f"oxigraph:{path}"), TableHistory)
    assert json.loads(meta_path.read_text())["version"] == VERSION
    (path / INDEX / "details.blob").unlink()  # a file gone, the stamp intact
    assert isinstance(stores.open_history(f"oxigraph:{path}"), TableHistory)
    assert (path / INDEX / "details.blob").is_file()
    (path / INDEX / "kind.npy").unlink()
    (path / INDEX / "meta.json").unlink()
    history = stores.open_history(f"oxigraph:{path}")
    assert history.members("CSTO", year=2007) == stores.open_history("memory").members(
        "CSTO", year=2007
    )


# -- random graphs -----------------------------------------------------------------------------

ORIGIN = date(1990, 1, 1)
SPAN = 365 * 40
ONTOLOGY = load(include_graph=False)
PRECISION_UNITS = (TIME.unitDay, TIME.unitMonth, TIME.unitYear)
ROLES = (CST.FullMember, CST.Observer, CST.Suspended, CST.ParticipationFrozen)

relation_rows = st.lists(
    st.tuples(
        st.integers(0, 5),  # member
        st.integers(0, 2),  # organization
        st.integers(0, SPAN),  # start offset
        st.one_of(st.none(), st.integers(1, 4000)),  # length, or open
        st.integers(0, 2),  # start precision
        st.integers(0, 2),  # end precision
        st.sampled_from([None, CST.NotLaterThan]),  # start qualifier
        st.sampled_from([None, CST.NotEarlierThan]),  # end qualifier
        st.sampled_from([None, True, False]),  # preferred
        st.integers(0, 3),  # role
    ),
    min_size=1,
    max_size=30,
)


def coarse(day: date, precision: int) -> date:
    return day if precision == 0 else date(day.year, day.month if precision == 1 else 1, 1)


def build(rows: list[tuple[object, ...]]) -> Graph:
    graph = Graph()
    graph += ONTOLOGY
    source = CS["source-random"]
    graph.add((source, RDF.type, CST.SourceDocument))
    for org in range(3):
        graph.add((CS[f"org-{org}"], RDF.type, CST.Alliance))
        graph.add((CS[f"org-{org}"], RDFS.label, Literal(f"Organization {org}")))
    for state in range(6):
        graph.add((CS[f"state-{state}"], RDF.type, CST.State))
        graph.add((CS[f"state-{state}"], RDFS.label, Literal(f"State {state}")))
    for i, row in enumerate(rows):
        member, org, offset, length, sp, ep, sq, eq, preferred, role = row
        node = CS[f"r-{i}"]
        start = coarse(ORIGIN + timedelta(days=offset), sp)  # type: ignore[operator, arg-type]
        graph.add((node, RDF.type, CST.AllianceMembership))
        graph.add((node, ORG.member, CS[f"state-{member}"]))
        graph.add((node, ORG.organization, CS[f"org-{org}"]))
        graph.add((node, ORG.role, ROLES[role]))  # type: ignore[index]
        graph.add((node, SCHEMA.startDate, Literal(start)))
        graph.add((node, CST.startPrecision, PRECISION_UNITS[sp]))  # type: ignore[index]
        if sq is not None:
            graph.add((node, CST.startQualifier, sq))
        if length is not None:
            end = coarse(start + timedelta(days=length), ep)  # type: ignore[arg-type]
            graph.add((node, SCHEMA.endDate, Literal(max(end, start + timedelta(days=1)))))
            graph.add((node, CST.endPrecision, PRECISION_UNITS[ep]))  # type: ignore[index]
            if eq is not None:
                graph.add((node, CST.endQualifier, eq))
        if preferred is not None:
            graph.add((node, CST.preferred, Literal(preferred)))
        graph.add((node, PROV.wasDerivedFrom, source))
    return graph


BOUNDS = ("s_lo", "s_hi", "e_lo", "e_hi", "sp_lo", "sp_hi", "ep_lo", "ep_hi")
GRADE_CODES = {None: -1, Grade.HELD: 0, Grade.IMPRECISE: 1, Grade.NOT_EXCLUDED: 2}


def outcome(ask, *args, **kwargs):
    """An answer, or the error it raised (type and message)."""
    try:
        return ask(*args, **kwargs)
    except Exception as exc:  # compared, not hidden: both sides must fail alike
        return (type(exc), str(exc))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(relation_rows, st.integers(0, SPAN), st.sampled_from(["preferred", "all"]))
def test_random_graphs_answer_alike(rows, offset, claims):
    graph = build(rows)
    reference = History(graph, claims=claims)
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch) / "table"
        write_table(directory, History(graph, claims="all"), "random")
        table = TableHistory(open_table(directory, "random"), lambda: graph, claims=claims)
        assert records(table) == records(reference)
        day = ORIGIN + timedelta(days=offset)
        every = History(graph, claims="all").all_relations()  # the table's rows, in order
        bounds = {name: table.table.column(name) for name in BOUNDS}
        for when in ({"on": day}, {"year": day.year}, {"between": (day, day + timedelta(400))}):
            question = window(**when)
            codes = grade_rows(bounds, question).tolist()
            assert codes == [GRADE_CODES[graded(r, question)] for r in every]
            for possible in (False, True):
                assert table.relations("member-of", possible=possible, **when) == (
                    reference.relations("member-of", possible=possible, **when)
                )
                for org in range(3):
                    for role in (None, "all", "observer"):
                        assert outcome(
                            table.members, f"cs:org-{org}", role=role, possible=possible, **when
                        ) == outcome(
                            reference.members,
                            f"cs:org-{org}",
                            role=role,
                            possible=possible,
                            **when,
                        )
        assert table.timeline("cs:state-1") == reference.timeline("cs:state-1")
        assert table.diff(day.year, day.year + 7, org="cs:org-0") == reference.diff(
            day.year, day.year + 7, org="cs:org-0"
        )
        assert table.diff(day, day + timedelta(900)) == reference.diff(day, day + timedelta(900))


# -- snapshots, series and metrics from the columns ------------------------------------------


def same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> bool:
    """The same nodes, edges, attributes and graph attributes, in the same order."""
    return (
        list(a.nodes(data=True)) == list(b.nodes(data=True))
        and list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
        and a.graph == b.graph
    )


@pytest.mark.parametrize("name", ["shipped", "synthetic"])
def test_snapshots_from_the_columns(store_dirs: dict[str, Path], name: str) -> None:
    table, quads = both(store_dirs[name], "preferred")
    org = "CSTO" if name == "shipped" else quads.all_relations()[0].object.id
    for ask in (
        {"year": 2010},
        {"year": 1995, "possible": True},
        {"on": "2003-05-01"},
        {},
        {"year": 2007, "kinds": ["member-of"]},
        {"year": 2007, "orgs": [org]},
    ):
        assert same_graph(snapshot(table, **ask), snapshot(quads, **ask)), ask


@pytest.mark.parametrize("name", ["shipped", "synthetic"])
def test_series_are_the_yearly_snapshots_counted(store_dirs: dict[str, Path], name: str) -> None:
    table, quads = both(store_dirs[name], "preferred")
    counted = series(table, 1990, 2026)
    column = {entity: i for i, entity in enumerate(counted.entities)}
    for year, graph in snapshots(quads, 1990, 2026):
        y = year - 1990
        assert counted.edges[y] == graph.number_of_edges()
        assert counted.pairs[y] == len(set(graph.edges()))
        degree = np.zeros(len(column), dtype=np.int64)
        neighbours = np.zeros(len(column), dtype=np.int64)
        for node, value in graph.degree():
            degree[column[node]] = value
            linked = set(graph.successors(node)) | set(graph.predecessors(node))
            neighbours[column[node]] = len(linked - {node})
        assert (counted.degree[y] == degree).all()
        assert (counted.neighbours[y] == neighbours).all()


@pytest.mark.parametrize("name", ["shipped", "synthetic"])
def test_metrics_from_the_columns(store_dirs: dict[str, Path], name: str) -> None:
    table, quads = both(store_dirs[name], "preferred")
    org = "CSTO" if name == "shipped" else quads.all_relations()[0].object.id
    for ask in ({}, {"org": org}, {"metrics": ["members", "exits", "bases_operated"]}):
        assert metrics_table(table, 1995, 2026, **ask) == metrics_table(quads, 1995, 2026, **ask)


def test_yearly_snapshots_from_the_columns_come_one_at_a_time(store_dirs: dict[str, Path]) -> None:
    table, quads = both(store_dirs["synthetic"], "preferred")
    swept = dict(snapshots(quads, 2000, 2004, kinds=["member-of", "hosts-base"]))
    lazy = snapshots(table, 2000, 2004, kinds=["member-of", "hosts-base"])
    year, first = next(lazy)  # built when asked for
    assert year == 2000 and nx.is_frozen(first) and same_graph(first, swept[2000])
    for year, graph in lazy:  # the sweep's later years insert in another order
        assert dict(graph.nodes(data=True)) == dict(swept[year].nodes(data=True))
        assert sorted(graph.edges(keys=True, data=True)) == sorted(
            swept[year].edges(keys=True, data=True)
        )
        assert graph.graph == swept[year].graph
