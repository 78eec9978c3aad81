"""Speed and memory at scale, side by side in one run: load, yearly snapshots, ``members``.

For each N (default 10k and 100k relations; ``--full`` adds 1M) a synthetic Turtle file is
written once (:func:`cstograph.io.synth.write_turtle`), then every measurement runs ``--runs``
times (default 3), each in a fresh Python process so that its peak RSS is its own, and the
median is reported:

``load-rdflib``
    Turtle to an in-memory :class:`rdflib.Graph`.
``load-oxigraph``
    Turtle to an on-disk Oxigraph store (``pyoxigraph.Store.bulk_load``).
``ours``
    Our pipeline from the Turtle file: :func:`cstograph.index.build.build_index` of the file (the
    ontology plus the file, parsed by pyoxigraph) and the 37 yearly snapshots 1990-2026 of
    :func:`cstograph.analysis.sweep.snapshots`, each networkx graph handed to the caller, which
    counts its edges.
``ours-rdflib``
    The same pipeline over an rdflib graph: ``History(load([file], include_graph=False))``.
``naive``
    rdflib parse, then one SPARQL SELECT per year building a ``networkx.MultiDiGraph``. When
    37 queries would take too long (``--naive-years``, default 4 at 100k and more) only that
    many years spread over 1990-2026 are run, and the time is estimated as parse + 37 x the
    mean query-and-build time.
``raphtory``
    raphtory 0.17: the same edges (subject, object, start, end, kind) loaded into a
    ``PersistentGraph`` from an Arrow table (additions at the start, deletions at the end, a
    layer per kind), then one window per year counting edges.
``members-history`` / ``members-oxigraph``
    ``History.members(org, year=2010)`` on a built index, and the same question as one
    SPARQL query on a loaded Oxigraph store: the median of 20 calls (the first call is
    reported apart). The organization is the one with the most memberships.

The fair race of issue 16 (``RACE_TASKS``) runs on a store ``cstograph load`` builds from the
same file and on a Parquet file of merged intervals exported from it (:func:`prepare_race`):
``ingest-*`` (store + relation table, against raphtory loading the Parquet), ``series-*`` (the
37 years' distinct-pair counts and distinct-neighbour degrees, hash-checked: ours over the
table, ours over the Parquet, raphtory's windows, networkx's snapshots), ``one-year-*`` (a
networkx graph of 2010) and ``cold-*`` (CLI processes on the store beside ``import rdflib``).

rdflib-based measurements run up to ``--rdflib-max`` relations (default 100k: at 1M the parse
alone takes minutes and gigabytes). Results are kept in ``benchmarks/scale-results.json``
(per N, so a 1M run adds to a 10k/100k run) and rendered into ``benchmarks/README.md``.

    python benchmarks/scale.py [--sizes 10000 100000] [--full] [--runs 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "scale-results.json"
README = HERE / "README.md"
BEGIN, END = "<!-- scale:begin -->", "<!-- scale:end -->"
FIRST_YEAR, LAST_YEAR = 1990, 2026
YEARS = list(range(FIRST_YEAR, LAST_YEAR + 1))
MEMBERS_YEAR = 2010
MEMBERS_CALLS = 20
#: The tasks of the fair race (issue 16), run on the store and the Parquet of merged intervals
#: that :func:`prepare_race` makes.
RACE_TASKS = (
    "ingest-ours",
    "ingest-raphtory",
    "series-ours",
    "series-ours-parquet",
    "series-raphtory",
    "series-networkx",
    "one-year-ours",
    "one-year-raphtory",
    "cold-rdflib",
    "cold-members",
    "cold-relations",
    "cold-timeline",
    "cold-snapshot",
    "cold-metrics",
)
TASKS = (
    "load-rdflib",
    "load-oxigraph",
    "ours",
    "ours-rdflib",
    "naive",
    "raphtory",
    "members-history",
    "members-oxigraph",
    *RACE_TASKS,
)
RDFLIB_TASKS = frozenset({"load-rdflib", "ours-rdflib", "naive"})

CST = "https://w3id.org/cstograph/ontology#"
PREFIXES = """\
PREFIX cst: <https://w3id.org/cstograph/ontology#>
PREFIX cs: <https://w3id.org/cstograph/id/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
#: Every relation with its kind, subject and object (a base's object is the base, else the
#: stationed unit), start and end: what a user would write for "the edges of year Y".
EDGES_QUERY = (
    PREFIXES
    + """
SELECT ?r ?kind ?s ?o ?start ?end WHERE {
  { ?r a cst:AllianceMembership ; org:member ?s ; org:organization ?o .
    BIND ("member-of" AS ?kind) }
  UNION { ?r a cst:NonMembership ; cst:nonMember ?s ; cst:nonMemberOf ?o .
    BIND ("not-member-of" AS ?kind) }
  UNION { ?r a cst:ForceContribution ; org:member ?s ; org:organization ?o .
    BIND ("contributes-to-force" AS ?kind) }
  UNION { ?r a cst:BasingArrangement ; cst:hostState ?s ; cst:base ?o .
    BIND ("hosts-base" AS ?kind) }
  UNION { ?r a cst:BasingArrangement ; cst:hostState ?s ; cst:stationedUnit ?o .
    FILTER NOT EXISTS { ?r cst:base ?b } BIND ("hosts-base" AS ?kind) }
  UNION { ?r a cst:OfficeHolding ; cst:holder ?s ; cst:post ?o .
    BIND ("holds-office" AS ?kind) }
  ?r schema:startDate ?start .
  OPTIONAL { ?r schema:endDate ?end }
  %s
}
"""
)
NAIVE_FILTER = (
    'FILTER (?start < "{stop}-01-01"^^xsd:date '
    '&& (!BOUND(?end) || ?end > "{year}-01-01"^^xsd:date))'
)
MEMBERS_QUERY = (
    PREFIXES
    + """
SELECT ?m ?member ?role ?start ?end WHERE {{
  ?m a cst:AllianceMembership ; org:organization <{org}> ; org:member ?member ;
     org:role ?role ; schema:startDate ?start .
  OPTIONAL {{ ?m schema:endDate ?end }}
  FILTER (?role IN (cst:FullMember, cst:Signatory, cst:ParticipationFrozen))
  FILTER (?start < "{stop}-01-01"^^xsd:date && (!BOUND(?end) || ?end > "{year}-01-01"^^xsd:date))
}}
"""
)


# ---------------------------------------------------------------------------------------------
# Workers: one measurement each, in a fresh process, printing one JSON line
# ---------------------------------------------------------------------------------------------


def _peak_mb() -> float:
    """This process's peak RSS: ``VmHWM`` (``ru_maxrss`` would carry the parent's size over
    the fork and exec that started us)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _count_snapshots(history: Any) -> int:
    from cstograph.analysis.sweep import snapshots

    return sum(graph.number_of_edges() for _, graph in snapshots(history, FIRST_YEAR, LAST_YEAR))


def _pipeline(*steps: tuple[str, Callable[[Any], Any]]) -> dict[str, Any]:
    """Run ``steps`` in turn, each on the result of the one before, timing each; the last
    one counts the snapshots' edges."""
    phases: dict[str, float] = {}
    value: Any = None
    begin = time.perf_counter()
    for name, step in steps:
        start = time.perf_counter()
        value = step(value)
        phases[name] = time.perf_counter() - start
    return {"seconds": time.perf_counter() - begin, "phases": phases, "edges": value}


def task_ours(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    from cstograph.index.build import Files, build_index

    return _pipeline(
        ("history", lambda _: build_index(Files([file], include_graph=False))),
        ("snapshots", _count_snapshots),
    )


def task_ours_rdflib(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    from cstograph.index.history import History
    from cstograph.io.parse import load

    return _pipeline(
        ("parse", lambda _: load([file], include_graph=False)),
        ("history", History),
        ("snapshots", _count_snapshots),
    )


def task_load_rdflib(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    import rdflib

    begin = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(file, format="turtle")
    return {"seconds": time.perf_counter() - begin, "triples": len(graph)}


def task_load_oxigraph(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    import pyoxigraph

    location = work / f"store-{os.getpid()}"
    begin = time.perf_counter()
    store = pyoxigraph.Store(str(location))
    store.bulk_load(path=str(file), format=pyoxigraph.RdfFormat.TURTLE)
    store.flush()
    seconds = time.perf_counter() - begin
    triples = len(store)
    del store
    shutil.rmtree(location, ignore_errors=True)
    return {"seconds": seconds, "triples": triples}


def _naive_years(count: int) -> list[int]:
    if count >= len(YEARS):
        return YEARS
    step = (len(YEARS) - 1) / max(count - 1, 1)
    return sorted({YEARS[round(i * step)] for i in range(count)})


def task_naive(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    import networkx as nx
    import rdflib

    begin = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(file, format="turtle")
    parsed = time.perf_counter()
    years = _naive_years(int(args["naive_years"]))
    edges = 0
    for year in years:
        query = EDGES_QUERY % NAIVE_FILTER.format(year=year, stop=year + 1)
        snapshot = nx.MultiDiGraph()
        for row in graph.query(query):
            r, kind, s, o, start, end = row  # type: ignore[misc]
            snapshot.add_edge(
                str(s), str(o), key=str(r), kind=str(kind), start=str(start), end=str(end or "")
            )
        edges += snapshot.number_of_edges()
    end = time.perf_counter()
    per_year = (end - parsed) / len(years)
    estimated = len(years) < len(YEARS)
    return {
        "seconds": (parsed - begin) + per_year * len(YEARS),
        "phases": {"parse": parsed - begin, "per year": per_year},
        "years": len(years),
        "estimated": estimated,
        "edges": edges if not estimated else None,
    }


def task_raphtory(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]
    from raphtory import PersistentGraph

    additions = pq.read_table(work / "edges.parquet")
    deletions = pq.read_table(work / "ends.parquet")
    begin = time.perf_counter()
    graph = PersistentGraph()
    graph.load_edges(additions, time="start", src="src", dst="dst", layer_col="kind")
    graph.load_edge_deletions(deletions, time="end", src="src", dst="dst", layer_col="kind")
    loaded = time.perf_counter()
    edges = 0
    for year in YEARS:
        first = int(dt.datetime(year, 1, 1, tzinfo=dt.UTC).timestamp() * 1000)
        stop = int(dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC).timestamp() * 1000)
        edges += graph.window(first, stop).count_edges()
    end = time.perf_counter()
    return {
        "seconds": end - begin,
        "phases": {"load": loaded - begin, "windows": end - loaded},
        "edges": edges,
    }


def _timed_calls(call: Callable[[], int]) -> dict[str, Any]:
    begin = time.perf_counter()
    rows = call()
    first = time.perf_counter() - begin
    times = []
    for _ in range(MEMBERS_CALLS):
        begin = time.perf_counter()
        call()
        times.append(time.perf_counter() - begin)
    return {"seconds": statistics.median(times), "first call": first, "rows": rows}


def task_members_history(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    from cstograph.index.build import Files, build_index

    history = build_index(Files([file], include_graph=False))
    org = str(args["org"])
    return _timed_calls(lambda: len(history.members(org, year=MEMBERS_YEAR)))


def task_members_oxigraph(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    import pyoxigraph

    location = work / f"store-{os.getpid()}"
    store = pyoxigraph.Store(str(location))
    store.bulk_load(path=str(file), format=pyoxigraph.RdfFormat.TURTLE)
    store.flush()
    query = MEMBERS_QUERY.format(org=args["org_iri"], year=MEMBERS_YEAR, stop=MEMBERS_YEAR + 1)
    result = _timed_calls(lambda: len(list(store.query(query))))  # type: ignore[arg-type]
    shutil.rmtree(location, ignore_errors=True)  # still open: Linux frees the files on exit
    return result


# ---------------------------------------------------------------------------------------------
# The fair race (issue 16): same input, same work, the same numbers (hash-checked)
# ---------------------------------------------------------------------------------------------
#
# Input: the store `load` built from the Turtle file (ours, networkx), or the Parquet file of
# merged intervals exported from it once (raphtory, and ours again): per distinct (subject,
# object) pair, the years its relations are in the yearly snapshot (held or bounds
# imprecise, cstograph's default), merged into disjoint runs [Y1-01-01, Y2+1-01-01). Work:
# for each of the 37 years 1990-2026, the number of distinct (subject, object) pairs and each
# entity's number of distinct neighbours (either direction, itself not counted). Every side
# hashes the same JSON of those numbers.


def _store_spec(work: Path) -> str:
    return f"oxigraph:{work / 'store'}"


def _series_hash(per_year: list[tuple[int, int, dict[str, int]]]) -> str:
    import hashlib

    text = json.dumps(
        [
            [year, pairs, sorted((k, v) for k, v in degrees.items() if v)]
            for year, pairs, degrees in per_year
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _race_result(begin: float, phases: dict[str, float], per_year: list[Any]) -> dict[str, Any]:
    return {
        "seconds": time.perf_counter() - begin,
        "phases": phases,
        "edges": sum(pairs for _, pairs, _ in per_year),
        "hash": _series_hash(per_year),
    }


def prepare_race(data: dict[str, Any], work: Path) -> None:
    """Load the Turtle file into an Oxigraph store (with its relation table) and export the
    merged yearly intervals of every (subject, object) pair to ``intervals.parquet``."""
    # the cold CLI runs read compiled modules, as an installed package does (this machine
    # sets PYTHONDONTWRITEBYTECODE, under which every run would compile cstograph again)
    import compileall

    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    import cstograph
    from cstograph import stores
    from cstograph.analysis.series import _first_of, year_grades

    compileall.compile_dir(str(Path(cstograph.__file__).parent), quiet=1)
    stores.load_files(_store_spec(work), [data["file"]], shipped=False)
    history = stores.open_history(_store_spec(work))
    table = history.table  # type: ignore[attr-defined]
    rows, included = year_grades(history, range(FIRST_YEAR, LAST_YEAR + 1))  # type: ignore[arg-type]
    first = _first_of(np.asarray(table.column("node"))[rows])
    rows, included = rows[first], included[:, first]
    subject = np.asarray(table.column("subject"))[rows]
    obj = np.asarray(table.column("object"))[rows]
    padded = np.zeros((included.shape[0] + 2, included.shape[1]), dtype=np.int8)
    padded[1:-1] = included
    change = np.diff(padded, axis=0)
    begins = np.argwhere(change.T == 1)  # (row, first year index)
    ends = np.argwhere(change.T == -1)  # (row, last year index + 1), in the same order
    pair = subject[begins[:, 0]].astype(np.int64) * (1 << 31) + obj[begins[:, 0]]
    order = np.lexsort((begins[:, 1], pair))
    merged: list[tuple[int, int, int]] = []
    starts, stops = begins[order, 1].tolist(), ends[order, 1].tolist()
    runs = zip(pair[order].tolist(), starts, stops, strict=True)
    for p, b, e in runs:
        if merged and merged[-1][0] == p and b <= merged[-1][2]:
            merged[-1] = (p, merged[-1][1], max(merged[-1][2], e))
        else:
            merged.append((p, b, e))
    shorts = table.strings("short")
    src = [shorts[p >> 31] for p, _, _ in merged]
    dst = [shorts[p & ((1 << 31) - 1)] for p, _, _ in merged]
    keep = [i for i in range(len(merged)) if src[i] != dst[i]]  # no self-loops
    pq.write_table(
        pa.table(
            {
                "src": [src[i] for i in keep],
                "dst": [dst[i] for i in keep],
                "start": [_ms(dt.date(FIRST_YEAR + merged[i][1], 1, 1)) for i in keep],
                "end": [_ms(dt.date(FIRST_YEAR + merged[i][2], 1, 1)) for i in keep],
            }
        ),
        work / "intervals.parquet",
    )


def task_ingest_ours(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    from cstograph import stores

    location = work / f"ingest-{os.getpid()}"
    begin = time.perf_counter()
    report = stores.load_files(f"oxigraph:{location}", [file], shipped=False)
    seconds = time.perf_counter() - begin
    shutil.rmtree(location, ignore_errors=True)
    return {"seconds": seconds, "triples": report.triples_after}


def task_ingest_raphtory(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    import pyarrow.parquet as pq
    from raphtory import PersistentGraph

    begin = time.perf_counter()
    intervals = pq.read_table(work / "intervals.parquet")
    graph = PersistentGraph()
    graph.load_edges(intervals, time="start", src="src", dst="dst")
    graph.load_edge_deletions(intervals, time="end", src="src", dst="dst")
    return {"seconds": time.perf_counter() - begin, "edges": graph.count_edges()}


def task_series_ours(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    from cstograph import stores
    from cstograph.analysis.series import series

    begin = time.perf_counter()
    history = stores.open_history(_store_spec(work))
    opened = time.perf_counter()
    counted = series(history, FIRST_YEAR, LAST_YEAR)  # type: ignore[arg-type]
    done = time.perf_counter()
    per_year = [
        (
            year,
            int(counted.pairs[y]),
            dict(zip(counted.entities, counted.neighbours[y].tolist(), strict=True)),
        )
        for y, year in enumerate(counted.years)
    ]
    phases = {"open": opened - begin, "series": done - opened}
    return _race_result(begin, phases, per_year)


def task_series_ours_parquet(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    begin = time.perf_counter()
    intervals = pq.read_table(work / "intervals.parquet")
    names = (
        pa.chunked_array([intervals["src"].combine_chunks(), intervals["dst"].combine_chunks()])
        .combine_chunks()
        .dictionary_encode()
    )
    codes = names.indices.to_numpy()
    n_rows = len(intervals)
    src, dst = codes[:n_rows].astype(np.int64), codes[n_rows:].astype(np.int64)
    start, end = intervals["start"].to_numpy(), intervals["end"].to_numpy()
    labels = names.dictionary.to_pylist()
    n = len(labels)
    read = time.perf_counter()
    per_year = []
    for year in YEARS:
        first, stop = _ms(dt.date(year, 1, 1)), _ms(dt.date(year + 1, 1, 1))
        active = (start < stop) & (end > first)
        u, v = src[active], dst[active]
        linked = np.sort(np.minimum(u, v) * n + np.maximum(u, v))
        if len(linked):
            linked = linked[np.concatenate([[True], linked[1:] != linked[:-1]])]
        degree = np.bincount(np.concatenate([linked // n, linked % n]), minlength=n)
        nonzero = np.flatnonzero(degree)
        per_year.append(
            (
                year,
                int(active.sum()),
                dict(zip([labels[i] for i in nonzero], degree[nonzero].tolist(), strict=True)),
            )
        )
    phases = {"read": read - begin, "series": time.perf_counter() - read}
    return _race_result(begin, phases, per_year)


def task_series_raphtory(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    import pyarrow.parquet as pq
    from raphtory import PersistentGraph

    begin = time.perf_counter()
    intervals = pq.read_table(work / "intervals.parquet")
    graph = PersistentGraph()
    graph.load_edges(intervals, time="start", src="src", dst="dst")
    graph.load_edge_deletions(intervals, time="end", src="src", dst="dst")
    loaded = time.perf_counter()
    per_year = []
    for year in YEARS:
        view = graph.window(_ms(dt.date(year, 1, 1)), _ms(dt.date(year + 1, 1, 1)))
        degrees = view.nodes.degree()
        found = dict(zip(degrees.nodes().name, degrees.values(), strict=True))
        per_year.append((year, view.count_edges(), found))
    phases = {"load": loaded - begin, "windows": time.perf_counter() - loaded}
    return _race_result(begin, phases, per_year)


def task_series_networkx(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    from cstograph import stores
    from cstograph.analysis.sweep import snapshots

    begin = time.perf_counter()
    history = stores.open_history(_store_spec(work))
    per_year = []
    for year, graph in snapshots(history, FIRST_YEAR, LAST_YEAR):
        degrees = {
            node: len((set(graph.successors(node)) | set(graph.predecessors(node))) - {node})
            for node in graph
        }
        pairs = {(u, v) for u, v in graph.edges() if u != v}
        per_year.append((year, len(pairs), degrees))
    return _race_result(begin, {}, per_year)


def task_one_year_ours(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    from cstograph import stores
    from cstograph.analysis.snapshot import snapshot

    begin = time.perf_counter()
    graph = snapshot(stores.open_history(_store_spec(work)), year=MEMBERS_YEAR)
    return {"seconds": time.perf_counter() - begin, "edges": graph.number_of_edges()}


def task_one_year_raphtory(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    import pyarrow.parquet as pq
    from raphtory import PersistentGraph

    intervals = pq.read_table(work / "intervals.parquet")
    graph = PersistentGraph()
    graph.load_edges(intervals, time="start", src="src", dst="dst")
    graph.load_edge_deletions(intervals, time="end", src="src", dst="dst")
    begin = time.perf_counter()
    view = graph.window(_ms(dt.date(MEMBERS_YEAR, 1, 1)), _ms(dt.date(MEMBERS_YEAR + 1, 1, 1)))
    nx_graph = view.to_networkx()
    return {"seconds": time.perf_counter() - begin, "edges": nx_graph.number_of_edges()}


def _cold(*command: str) -> dict[str, Any]:
    """Run a command in a fresh process; its wall time and the children's peak RSS."""
    begin = time.perf_counter()
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    seconds = time.perf_counter() - begin
    if done.returncode != 0:
        raise RuntimeError((done.stderr.strip().splitlines() or ["failed"])[-1])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "child_rss_mb": peak, "rows": done.stdout.count("\n")}


def _cli(work: Path, *args: str) -> dict[str, Any]:
    return _cold(sys.executable, "-m", "cstograph", *args, "--store", _store_spec(work))


def task_cold_members(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    return _cli(work, "members", str(args["org"]), "--year", str(MEMBERS_YEAR))


def task_cold_relations(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    return _cli(work, "relations", "--object", str(args["org"]), "--year", str(MEMBERS_YEAR))


def task_cold_timeline(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    return _cli(work, "timeline", str(args["org"]))


def task_cold_snapshot(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    out = work / f"snapshot-{os.getpid()}.json"
    return _cli(work, "snapshot", "--year", str(MEMBERS_YEAR), "--out", str(out))


def task_cold_metrics(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    return _cli(work, "metrics", "--from", str(FIRST_YEAR), "--to", str(LAST_YEAR))


def task_cold_rdflib(file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    return _cold(sys.executable, "-c", "import rdflib")


WORKERS: dict[str, Callable[[Path, Path, dict[str, Any]], dict[str, Any]]] = {
    "ingest-ours": task_ingest_ours,
    "ingest-raphtory": task_ingest_raphtory,
    "series-ours": task_series_ours,
    "series-ours-parquet": task_series_ours_parquet,
    "series-raphtory": task_series_raphtory,
    "series-networkx": task_series_networkx,
    "one-year-ours": task_one_year_ours,
    "one-year-raphtory": task_one_year_raphtory,
    "cold-members": task_cold_members,
    "cold-relations": task_cold_relations,
    "cold-timeline": task_cold_timeline,
    "cold-snapshot": task_cold_snapshot,
    "cold-metrics": task_cold_metrics,
    "cold-rdflib": task_cold_rdflib,
    "load-rdflib": task_load_rdflib,
    "load-oxigraph": task_load_oxigraph,
    "ours": task_ours,
    "ours-rdflib": task_ours_rdflib,
    "naive": task_naive,
    "raphtory": task_raphtory,
    "members-history": task_members_history,
    "members-oxigraph": task_members_oxigraph,
}


def worker(task: str, file: Path, work: Path, args: dict[str, Any]) -> None:
    result = WORKERS[task](file, work, args)
    result["rss_mb"] = max(_peak_mb(), result.pop("child_rss_mb", 0.0))
    print(json.dumps(result))


# ---------------------------------------------------------------------------------------------
# The parent: data, runs, medians, the table
# ---------------------------------------------------------------------------------------------


def prepare(size: int, seed: int, work: Path) -> dict[str, Any]:
    """Write the Turtle file, the raphtory edge tables and pick the members organization."""
    import pyarrow as pa
    import pyarrow.compute as pc  # type: ignore[import-untyped]
    import pyarrow.parquet as pq
    import pyoxigraph

    from cstograph.io.synth import write_turtle

    file = work / f"synthetic-{size}.ttl"
    begin = time.perf_counter()
    stats = write_turtle(file, size, seed)
    written = time.perf_counter() - begin
    store = pyoxigraph.Store()
    store.bulk_load(path=str(file), format=pyoxigraph.RdfFormat.TURTLE)
    rows = {"src": [], "dst": [], "kind": [], "start": [], "end": []}  # type: dict[str, list[Any]]
    members: dict[str, int] = {}
    for row in store.query(EDGES_QUERY % ""):  # type: ignore[union-attr]
        start = dt.date.fromisoformat(row["start"].value)
        end = row["end"]
        rows["src"].append(row["s"].value)
        rows["dst"].append(row["o"].value)
        rows["kind"].append(row["kind"].value)
        rows["start"].append(_ms(start))
        rows["end"].append(_ms(dt.date.fromisoformat(end.value)) if end is not None else None)
        if row["kind"].value == "member-of":
            members[row["o"].value] = members.get(row["o"].value, 0) + 1
    table = pa.table(rows)
    pq.write_table(table.drop_columns(["end"]), work / "edges.parquet")
    ends = table.filter(pc.is_valid(table["end"])).drop_columns(["start"])
    pq.write_table(ends, work / "ends.parquet")
    org_iri = max(members, key=lambda o: (members[o], o))
    triples = len(store)
    del store
    return {
        "file": file,
        "bytes": stats.bytes,
        "triples": triples,
        "relations": stats.total,
        "write seconds": written,
        "org_iri": org_iri,
        "org": "cs:" + org_iri.rsplit("/", 1)[1],
    }


def _ms(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)


def run_one(task: str, file: Path, work: Path, args: dict[str, Any]) -> dict[str, Any]:
    env = dict(os.environ, CSTOGRAPH_CACHE="off", PYTHONHASHSEED="0")
    command = [sys.executable, __file__, "--worker", task, str(file), str(work), json.dumps(args)]
    done = subprocess.run(command, check=False, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    good = [r for r in runs if "error" not in r]
    if not good:
        return {"error": runs[0]["error"] if runs else "not run", "runs": 0}
    out: dict[str, Any] = {
        "seconds": statistics.median(r["seconds"] for r in good),
        "rss_mb": max(r["rss_mb"] for r in good),
        "runs": len(good),
        "all seconds": [round(r["seconds"], 4) for r in good],
    }
    phases = good[0].get("phases") or {}
    if phases:
        out["phases"] = {k: statistics.median(r["phases"][k] for r in good) for k in phases}
    hashes = {r["hash"] for r in good if "hash" in r}
    if hashes:
        out["hash"] = ", ".join(sorted(hashes))  # one value when every run agrees
    for key in ("edges", "rows", "triples", "years", "estimated", "first call"):
        if key in good[0]:
            out[key] = (
                good[0][key] if key != "first call" else statistics.median(r[key] for r in good)
            )
    return out


def measure(size: int, options: argparse.Namespace, work: Path) -> dict[str, Any]:
    print(f"N = {size:,}: writing the synthetic Turtle ...", flush=True)
    data = prepare(size, options.seed, work)
    print(
        f"  {data['relations']:,} relations, {data['triples']:,} triples, "
        f"{data['bytes'] / 1e6:.0f} MB in {data['write seconds']:.1f} s",
        flush=True,
    )
    naive_years = options.naive_years or (len(YEARS) if size < 100_000 else 4)
    args = {"org": data["org"], "org_iri": data["org_iri"], "naive_years": naive_years}
    tasks = [t for t in options.tasks if t not in RDFLIB_TASKS or size <= options.rdflib_max]
    if any(t in RACE_TASKS for t in tasks):
        print("  loading the store and exporting the merged intervals ...", flush=True)
        prepare_race(data, work)
    runs: dict[str, list[dict[str, Any]]] = {t: [] for t in tasks}
    slow = options.slow_runs or options.runs
    for run in range(options.runs):
        for task in tasks:
            if run >= slow and (task == "naive" or (task in RDFLIB_TASKS and size >= 100_000)):
                continue
            result = run_one(task, data["file"], work, args)
            runs[task].append(result)
            shown = result.get("error") or f"{result['seconds']:.3f} s, {result['rss_mb']:.0f} MB"
            print(f"  run {run + 1}/{options.runs} {task:17} {shown}", flush=True)
    command = " ".join(["python", "benchmarks/scale.py", *sys.argv[1:]])
    today = dt.date.today().isoformat()
    results = {}
    for task, done in runs.items():
        results[task] = median_of(done)
        results[task]["command"] = command
        results[task]["date"] = today
    return {
        "relations": data["relations"],
        "triples": data["triples"],
        "megabytes": round(data["bytes"] / 1e6, 1),
        "org": data["org"],
        "naive years": naive_years,
        "rdflib skipped": size > options.rdflib_max,
        "results": results,
    }


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = []
    for name in ("rdflib", "pyoxigraph", "networkx", "raphtory"):
        try:
            from importlib.metadata import version

            versions.append(f"{name} {version(name)}")
        except Exception:
            versions.append(f"{name} (not installed)")
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GB RAM, Linux, "
        f"Python {platform.python_version()}; {', '.join(versions)}"
    )


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------

LABELS = {
    "load-rdflib": "load: Turtle to rdflib in-memory Graph",
    "load-oxigraph": "load: Turtle to on-disk Oxigraph (bulk_load)",
    "ours": "snapshots: ours (fastload + History + 37 networkx snapshots)",
    "ours-rdflib": "snapshots: ours over rdflib (load + History + 37 snapshots)",
    "naive": "snapshots: naive (rdflib parse + 1 SPARQL query per year + networkx)",
    "raphtory": "snapshots: raphtory (load edges + 37 windows counting edges)",
    "members-history": "members: History.members (median of 20)",
    "members-oxigraph": "members: SPARQL on Oxigraph store (median of 20)",
    "ingest-ours": "ingest: Turtle to Oxigraph store + relation table (`cstograph load`)",
    "ingest-raphtory": "ingest: raphtory loading the merged intervals from Parquet",
    "series-ours": "series: ours, vectorised over the store's table (37 years)",
    "series-ours-parquet": "series: ours, NumPy over the Parquet of merged intervals",
    "series-raphtory": "series: raphtory, Parquet + 37 windows (count_edges, degree)",
    "series-networkx": "series: networkx, 37 snapshots of the store (sweep)",
    "one-year-ours": "one year: networkx graph of 2010 from the store (ours)",
    "one-year-raphtory": "one year: raphtory window(2010).to_networkx()",
    "cold-rdflib": 'cold: `python -c "import rdflib"`',
    "cold-members": "cold: `cstograph members ORG --year 2010` on the store",
    "cold-relations": "cold: `cstograph relations --object ORG --year 2010` on the store",
    "cold-timeline": "cold: `cstograph timeline ORG` on the store",
    "cold-snapshot": "cold: `cstograph snapshot --year 2010 --out FILE` on the store",
    "cold-metrics": "cold: `cstograph metrics --from 1990 --to 2026` on the store",
}


def _time(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def _phases(result: dict[str, Any]) -> str:
    parts = [f"{k} {_time(v)}" for k, v in (result.get("phases") or {}).items()]
    if "first call" in result:
        parts.append(f"first call {_time(result['first call'])}")
    if result.get("estimated"):
        parts.append(f"**estimated** from {result['years']} of 37 years")
    if "rows" in result:
        parts.append(f"{result['rows']} rows")
    if result.get("edges") is not None:
        parts.append(f"{result['edges']:,} edges")
    if result.get("hash"):
        parts.append(f"hash {result['hash']}")
    return "; ".join(parts) + "; " if parts else ""


def render(store: dict[str, Any], machine_text: str) -> str:
    lines = [
        BEGIN,
        "## Scale: load, 37 yearly snapshots, `members` (`benchmarks/scale.py`)",
        "",
        "Written by `benchmarks/scale.py` (do not edit by hand between the markers). Each row is",
        "the median of the runs of one measurement, each run in a fresh process; peak RSS is that",
        "process's own maximum resident set (Python, imports and data), the largest of the runs.",
        f"Machine: {machine_text}.",
        "",
    ]
    summary = [
        "| N relations | ours | raphtory | ours / raphtory (target <= 0.5) | naive | "
        "naive / ours (target >= 20) | ours peak RSS (1M: <= 2 GB) | members, History "
        "(1M: < 50 ms) | members, Oxigraph SPARQL |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    detail: list[str] = []
    for key in sorted(store, key=int):
        entry = store[key]
        res = entry["results"]
        size = int(key)

        def cell(task: str, res: dict[str, Any] = res) -> str:
            r = res.get(task)
            if r is None or "error" in r:
                return "not run"
            return _time(r["seconds"])

        def ok(task: str, res: dict[str, Any] = res) -> bool:
            return task in res and "error" not in res[task]

        ratio = (
            f"{res['ours']['seconds'] / res['raphtory']['seconds']:.2f}x"
            if ok("ours") and ok("raphtory")
            else "-"
        )
        speedup = (
            f"{res['naive']['seconds'] / res['ours']['seconds']:.0f}x"
            + (" (est.)" if res["naive"].get("estimated") else "")
            if ok("ours") and ok("naive")
            else "-"
        )
        rss = f"{res['ours']['rss_mb']:,.0f} MB" if ok("ours") else "-"
        summary.append(
            f"| {size:,} | {cell('ours')} | {cell('raphtory')} | {ratio} | {cell('naive')} | "
            f"{speedup} | {rss} | {cell('members-history')} | {cell('members-oxigraph')} |"
        )
        detail += [
            "",
            f"### N = {size:,} relations ({entry['triples']:,} triples, {entry['megabytes']} MB "
            f"of Turtle; `members` of {entry['org']} in {MEMBERS_YEAR})",
            "",
            "Commands (each row says which and how many runs): "
            + "; ".join(
                f"[{i}] `{c}`"
                for i, c in enumerate(sorted({r.get("command", "?") for r in res.values()}), 1)
            )
            + ".",
            "",
            "| measurement | time | peak RSS | phases and notes |",
            "|---|---|---|---|",
        ]
        for task in TASKS:
            r = res.get(task)
            if r is None:
                why = (
                    "not run: rdflib at this size (see below)"
                    if entry.get("rdflib skipped") and task in RDFLIB_TASKS
                    else "not run"
                )
                detail.append(f"| {LABELS[task]} | - | - | {why} |")
            elif "error" in r:
                detail.append(f"| {LABELS[task]} | - | - | failed: {r['error']} |")
            else:
                commands = sorted({x.get("command", "?") for x in res.values()})
                which = commands.index(r.get("command", "?")) + 1
                detail.append(
                    f"| {LABELS[task]} | {_time(r['seconds'])} | {r['rss_mb']:,.0f} MB | "
                    f"{_phases(r)}median of {r['runs']} ([{which}], {r.get('date', '?')}) |"
                )
    return "\n".join([*lines, *summary, *detail, "", END])


def write_readme(store: dict[str, Any], machine_text: str) -> None:
    text = README.read_text(encoding="utf-8")
    block = render(store, machine_text)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


def _sizes(options: argparse.Namespace) -> Iterator[int]:
    yield from options.sizes
    if options.full and 1_000_000 not in options.sizes:
        yield 1_000_000


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _, _, task, file, work, args = sys.argv
        worker(task, Path(file), Path(work), json.loads(args))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--full", action="store_true", help="add N = 1,000,000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tasks", nargs="+", default=list(TASKS), choices=TASKS)
    parser.add_argument("--naive-years", type=int, default=0, help="0: all below 100k, else 4")
    parser.add_argument("--rdflib-max", type=int, default=100_000)
    parser.add_argument(
        "--slow-runs",
        type=int,
        default=0,
        help="runs of naive, and of every rdflib measurement at 100k and more (0: --runs)",
    )
    parser.add_argument("--no-readme", action="store_true", help="only print and keep JSON")
    options = parser.parse_args()
    store: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    machine_text = machine()
    with tempfile.TemporaryDirectory(prefix="cstograph-scale-") as tmp:
        for size in _sizes(options):
            scratch = Path(tmp) / str(size)
            scratch.mkdir()
            entry = measure(size, options, scratch)
            previous = store.get(str(size), {}).get("results", {})
            if store.get(str(size), {}).get("org") not in (None, entry["org"]):
                previous = {}  # another seed: older results are of other data
            entry["results"] = {**previous, **entry["results"]}
            store[str(size)] = entry
            shutil.rmtree(scratch, ignore_errors=True)
            RESULTS.write_text(json.dumps(store, indent=1) + "\n")
    if not options.no_readme:
        write_readme(store, machine_text)
    print(render(store, machine_text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
