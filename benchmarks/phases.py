"""Where our pipeline's time goes, phase by phase, on one synthetic Turtle file.

    python benchmarks/phases.py FILE.ttl      # e.g. from `cstograph synth --relations 100000`

Prints, each timed on its own in this process, with the resident memory after it:

``parse only``
    pyoxigraph's Turtle parser, iterating the triples and doing nothing with them: the floor of
    any pipeline that starts from the Turtle file in Python.
``parse + touch``
    the same, reading each triple's subject, predicate string and object, as any reader must.
``read``
    :class:`cstograph.index.stream.Reader`: triples to relation drafts, other triples into an
    rdflib graph on :class:`~cstograph.io.compact_memory.CompactMemory` as they come.
``records``, ``History``
    drafts to :class:`~cstograph.index.history.Relation` records (labels, titles); the index.
``snapshots``
    the 37 yearly networkx graphs of 1990-2026 (each counted), and the share of it spent in
    Python's cyclic garbage collector (measured with ``gc.callbacks``).
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path
from typing import Any


def _rss() -> str:
    """This process's resident set now, and its peak so far."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            fields[line[:5]] = int(line.split()[1]) // 1024
    return f"{fields.get('VmRSS', 0):,} MB (peak {fields.get('VmHWM', 0):,} MB)"


def main() -> int:
    import pyoxigraph as ox

    from cstograph.analysis.sweep import snapshots
    from cstograph.gcpause import paused
    from cstograph.index import stream
    from cstograph.index.history import History
    from cstograph.io import paths

    file = Path(sys.argv[1])
    timings: list[tuple[str, float]] = []

    def timed(name: str, begin: float) -> None:
        timings.append((name, time.perf_counter() - begin))
        print(f"{name:16} {timings[-1][1]:8.2f} s   RSS after {_rss()}", flush=True)

    begin = time.perf_counter()
    for _ in ox.parse(path=str(file), format=ox.RdfFormat.TURTLE):
        pass
    timed("parse only", begin)
    begin = time.perf_counter()
    for quad in ox.parse(path=str(file), format=ox.RdfFormat.TURTLE):
        quad.subject, quad.predicate.value, quad.object  # noqa: B018
    timed("parse + touch", begin)

    begin = time.perf_counter()
    reader = stream.Reader()
    with paused():
        for path in paths.input_files([file], include_graph=False):
            reader.read(stream.oxigraph_triples(path))
        reader.finish()
    timed("read", begin)
    begin = time.perf_counter()
    with paused():
        builder = reader.builder
        reader.graph()  # the blank nodes no relation node owns, if any
        drafts, reader.drafts = reader.drafts, []
        drafts.reverse()
        records = []
        while drafts:  # as the pipeline does: each draft goes once its record is made
            records.append(builder.record(drafts.pop()))
        records += [
            builder.relation(iri, kind, pairs, children)
            for iri, kinds, pairs, children in reader.relations
            for kind in kinds
        ]
    timed("records", begin)
    begin = time.perf_counter()
    history = History(builder.graph, relations=records)
    timed("History", begin)

    collecting = [0.0]
    started: dict[str, float] = {}

    def watch(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            started["t"] = time.perf_counter()
        else:
            collecting[0] += time.perf_counter() - started["t"]

    gc.callbacks.append(watch)
    begin = time.perf_counter()
    edges = sum(graph.number_of_edges() for _, graph in snapshots(history, 1990, 2026))
    timed("snapshots", begin)
    gc.callbacks.remove(watch)
    print(f"  of which garbage collection {collecting[0]:.2f} s; {edges:,} edges in all")
    print(f"{len(records):,} relations; {len(builder.graph):,} other triples in rdflib")
    return 0


if __name__ == "__main__":
    sys.exit(main())
