"""One output layer: every command renders its records as a table, JSON, CSV or TSV here."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

from rdflib import Graph
from rdflib import Literal as RDFLiteral
from rdflib.query import Result, ResultRow

from .terms import short_name

Format = Literal["table", "json", "csv", "tsv"]
FORMATS: tuple[str, ...] = ("table", "json", "csv", "tsv")


def _cell(value: Any) -> str:
    """Flatten one value for a table or CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return str(value.get("label") or value.get("id") or "")
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table with a header and a rule, columns padded to fit.

    Examples
    --------
    >>> print(table(["state", "role"], [["Russia", "full member"]]))
    state   role
    ------  -----------
    Russia  full member
    """
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [len(c) for c in columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    )
    return "\n".join(lines)


def render_records(
    records: Sequence[Mapping[str, Any]], fmt: str, columns: Sequence[str] | None = None
) -> str:
    """Render a list of records (dicts): JSON keeps their structure; table, CSV and TSV
    flatten nested values to their labels."""
    if fmt == "json":
        return json.dumps(list(records), indent=2, ensure_ascii=False)
    cols = list(columns) if columns is not None else (list(records[0]) if records else [])
    rows = [[record.get(c) for c in cols] for record in records]
    if fmt == "table":
        return table(cols, rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerow(cols)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buffer.getvalue().rstrip("\n")


def render_sparql(result: Result, fmt: str) -> str:
    """Render a SPARQL result. SELECT: ``json`` is SPARQL 1.1 JSON results, ``csv`` / ``tsv``
    the SPARQL 1.1 CSV/TSV formats, ``table`` a readable table with prefixed names.
    ASK: ``true`` / ``false`` (JSON: the boolean result). CONSTRUCT / DESCRIBE: Turtle
    (JSON: JSON-LD)."""
    if result.type == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.askAnswer)})
        return "true" if result.askAnswer else "false"
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph if result.graph is not None else Graph()
        return graph.serialize(format="json-ld" if fmt == "json" else "turtle").rstrip("\n")
    if fmt in ("json", "csv"):
        return (result.serialize(format=fmt) or b"").decode("utf-8").rstrip("\r\n")
    if fmt == "tsv":  # SPARQL 1.1 TSV: ?-prefixed header, terms in N-Triples form
        variables = list(result.vars or [])
        lines = ["\t".join(f"?{v}" for v in variables)]
        for row in result:
            terms = [cast(ResultRow, row)[v] for v in variables]
            lines.append("\t".join("" if t is None else t.n3() for t in terms))
        return "\n".join(lines)
    names = [str(v) for v in (result.vars or [])]
    rows = [
        [
            None
            if term is None
            else (str(term) if isinstance(term, RDFLiteral) else short_name(term))
            for term in row  # type: ignore[union-attr]
        ]
        for row in result
    ]
    return table(names, rows)
