"""Validating the graph: the SHACL shapes and the SPARQL violation checks, one report.

pyshacl is imported only here, inside :func:`validate`, so that commands which do not
validate start fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, cast

from rdflib import Graph, URIRef
from rdflib.namespace import SH
from rdflib.query import ResultRow

from cstograph.io import paths
from cstograph.io.parse import load, new_graph, parse_file
from cstograph.model.terms import short_name
from cstograph.query.sparql import run_query

__all__ = ["QueryViolation", "ShapeViolation", "ValidationReport", "validate", "validate_graph"]


@dataclass(frozen=True)
class ShapeViolation:
    """One SHACL result: which shape, on which node and path, and its message."""

    shape: str
    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str


@dataclass(frozen=True)
class QueryViolation:
    """A violation query that returned rows: its name, why it exists, and the rows."""

    check: str
    description: str
    rows: list[dict[str, str]]


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`: conforms only when no shape and no check failed."""

    triples: int
    shapes_checked: int
    checks_run: list[str]
    shape_violations: list[ShapeViolation] = field(default_factory=list)
    query_violations: list[QueryViolation] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not self.shape_violations and not self.query_violations

    @property
    def violation_count(self) -> int:
        """How many violations: one per failed shape result and per row of a failed query."""
        return len(self.shape_violations) + sum(len(q.rows) for q in self.query_violations)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the shape of ``cstograph validate --format json``)."""
        data = asdict(self)
        data["conforms"] = self.conforms
        return data


def _describe(path: Path) -> str:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(x for x in lines if x)


def _shape_results(results: Graph) -> list[ShapeViolation]:
    found = []
    for result in results.subjects(SH.resultSeverity, None):

        def one(prop: URIRef, result: Any = result) -> str | None:
            value = results.value(result, prop)
            return None if value is None else short_name(value)

        found.append(
            ShapeViolation(
                shape=one(SH.sourceShape) or "",
                focus=one(SH.focusNode) or "",
                path=one(SH.resultPath),
                value=one(SH.value),
                message=str(results.value(result, SH.resultMessage) or ""),
                severity=(one(SH.resultSeverity) or "").rsplit("#", 1)[-1].replace("sh:", ""),
            )
        )
    return sorted(found, key=lambda v: (v.focus, v.shape, v.path or "", v.value or ""))


def validate_graph(graph: Graph) -> ValidationReport:
    """Run the shapes and the violation queries over an already loaded graph.

    The graph should include the ontology, since shapes follow its class hierarchy.
    """
    import pyshacl  # slow to import: only when validating

    shapes = new_graph()
    parse_file(shapes, paths.shapes_file())

    def run() -> Graph:
        _, results, _ = pyshacl.validate(
            data_graph=graph,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            do_owl_imports=False,
            allow_warnings=True,
        )
        return results  # type: ignore[no-any-return]

    try:
        results = run()
    except TypeError:
        # pyshacl 0.40's sh:lessThanOrEquals raises on dates that are not xsd:date (gYear
        # pairs). The datatype shapes report those dates; drop the order check and rerun.
        shapes.remove((None, SH.lessThanOrEquals, None))
        results = run()
    report = ValidationReport(
        triples=len(graph),
        shapes_checked=len(set(shapes.subjects(SH.message, None))),
        checks_run=[],
        shape_violations=_shape_results(results),
    )
    for query_file in paths.violation_queries():
        name = query_file.name.removesuffix(".rq")
        report.checks_run.append(name)
        result = run_query(graph, query_file.read_text(encoding="utf-8"))
        rows = []
        for row in result:
            values = {str(var): cast(ResultRow, row)[var] for var in (result.vars or [])}
            rows.append({k: short_name(v) for k, v in values.items() if v is not None})
        if rows:
            report.query_violations.append(QueryViolation(name, _describe(query_file), rows))
    return report


def validate(
    extra_files: Iterable[Path | str] = (),
    *,
    include_graph: bool = True,
    allow_network: bool = False,
) -> ValidationReport:
    """Load the ontology, the shipped graph (unless ``include_graph`` is false) and
    ``extra_files``, then validate them.

    Examples
    --------
    >>> from cstograph import validate
    >>> validate().conforms
    True
    """
    extra = [Path(f) for f in extra_files]
    files = paths.input_files(extra, include_graph=include_graph)
    files += [paths.shapes_file(), *paths.violation_queries()]
    key = (paths.fingerprint(files), include_graph, allow_network)
    report = _REPORTS.pop(key, None)
    if report is None:
        graph = load(extra, include_graph=include_graph, allow_network=allow_network)
        report = validate_graph(graph)
    _REPORTS[key] = report  # the most recently used last
    while len(_REPORTS) > _REPORTS_KEPT:
        del _REPORTS[next(iter(_REPORTS))]
    return report


#: The last few reports, each by the exact state of the files it read (path, size and
#: modification time of every input, shape and query file): validating the same unchanged
#: files again (as a notebook, a session of CLI calls in one process or a test session does)
#: returns the report at once. One per file set, the least recently used dropped first.
_REPORTS: dict[tuple[object, ...], ValidationReport] = {}
_REPORTS_KEPT = 8
