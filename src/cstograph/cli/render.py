"""One output layer: every command renders its records as a table, JSON, CSV or TSV here."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast
from urllib.parse import urlparse

from rdflib import Graph
from rdflib import Literal as RDFLiteral
from rdflib.query import Result, ResultRow

from cstograph.io.spreadsheet import defuse_row
from cstograph.model.terms import short_name
from cstograph.temporal import bound_text

Format = Literal["table", "json", "csv", "tsv"]
FORMATS: tuple[str, ...] = ("table", "json", "csv", "tsv")


@dataclass
class TableSettings:
    """How this run's tables are laid out (set once per command from ``--wide``,
    ``--columns`` and ``--sources``, :func:`cstograph.cli.options.format_option`).

    ``width``: the terminal's width, which tables fit by shortening their longest cells
    with an ellipsis; ``None`` (piped, or ``--wide``): complete. ``columns``: the columns to
    show, in this order (tables, CSV and TSV). ``sources``: ``"compact"`` (the first
    source's host and how many more) or ``"full"`` (every source and place in it).
    """

    width: int | None = None
    columns: tuple[str, ...] | None = None
    sources: str = "compact"


SETTINGS = TableSettings()
ELLIPSIS = "…"


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
    if SETTINGS.width is not None and widths:
        cap = _cap(widths, SETTINGS.width - 2 * (len(widths) - 1))
        widths = [min(w, cap) for w in widths]
        columns = [_shorten(c, cap) for c in columns]
        cells = [[_shorten(c, cap) for c in row] for row in cells]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    )
    return "\n".join(lines)


def render_notes(notes: Sequence[str]) -> str:
    """Notes beside an answer (standard error), ``note: ...``, wrapped to the terminal's
    width when tables fit it."""
    import textwrap

    lines = []
    for note in notes:
        text = f"note: {note}"
        if SETTINGS.width is None:
            lines.append(text)
        else:
            lines.extend(textwrap.wrap(text, SETTINGS.width, subsequent_indent="      "))
    return "\n".join(lines)


def _cap(widths: Sequence[int], room: int) -> int:
    """The widest a column may be for all of them to fit in ``room`` characters: columns
    narrower than it keep their width (at least 4, however small the room)."""
    low, high = 4, max(widths)
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(w, middle) for w in widths) <= room:
            low = middle
        else:
            high = middle - 1
    return low


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + ELLIPSIS


def choose_columns(columns: Sequence[str]) -> list[str]:
    """The columns ``--columns`` asks for, in its order (all of them by default).

    Raises
    ------
    InputError
        A column the table does not have; the message lists those it has.
    """
    if SETTINGS.columns is None or not columns:
        return list(columns)
    unknown = [c for c in SETTINGS.columns if c not in columns]
    if unknown:
        from cstograph.errors import InputError

        raise InputError(
            f"--columns: no column {', '.join(map(repr, unknown))}; "
            f"this table has: {','.join(columns)}"
        )
    return list(SETTINGS.columns)


def render_records(
    records: Sequence[Mapping[str, Any]], fmt: str, columns: Sequence[str] | None = None
) -> str:
    """Render a list of records (dicts): JSON keeps their structure; table, CSV and TSV
    flatten nested values to their labels, with the columns ``--columns`` chooses."""
    if fmt == "json":
        return json.dumps(list(records), indent=2, ensure_ascii=False)
    cols = list(columns) if columns is not None else (list(records[0]) if records else [])
    cols = choose_columns(cols)
    rows = [[record.get(c) for c in cols] for record in records]
    if fmt == "table":
        return table(cols, rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")
    writer.writerow(defuse_row(cols))
    writer.writerows(defuse_row(_cell(v) for v in row) for row in rows)
    return buffer.getvalue().rstrip("\n")


def render_sparql(
    result: Result, fmt: str, label: Callable[[Any], str | None] | None = None
) -> str:
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
    chosen = choose_columns(names)
    picks = [names.index(c) for c in chosen]

    def text(term: Any) -> str | None:
        if term is None:
            return None
        if isinstance(term, RDFLiteral):
            return str(term)
        return (label(term) if label is not None else None) or short_name(term)

    rows = [[text(list(row)[i]) for i in picks] for row in result]  # type: ignore[arg-type]
    return table(chosen, rows)


# Temporal answers -----------------------------------------------------------------------------


def _host(source: Any) -> str:
    """Where a source is, in a word: its URL's host (``tass.com``), else its id."""
    if source.url:
        host = str(urlparse(source.url).hostname or source.url)
        return host.removeprefix("www.")
    return str(source.id).removeprefix("cs:")


def _sources_cell(sources: Sequence[Any]) -> str:
    """The sources column of a table: compact (``tass.com +2``: the first source's host
    and how many more) unless ``--sources full``."""
    if SETTINGS.sources == "full":
        return _sources_text(sources)
    distinct = list(dict.fromkeys(s.id for s in sources))
    if not distinct:
        return ""
    first = next(s for s in sources if s.id == distinct[0])
    more = f" +{len(distinct) - 1}" if len(distinct) > 1 else ""
    return _host(first) + more


def _sources_text(sources: Sequence[Any]) -> str:
    by_source: dict[str, list[str]] = {}
    for source in sources:
        by_source.setdefault(source.id, [])
        if source.locator:
            by_source[source.id].append(source.locator.replace("paragraph ", "para "))
    return "; ".join(
        f"{sid} ({', '.join(locs)})" if locs else sid for sid, locs in by_source.items()
    )


def _figure_text(figure: Any) -> str:
    if figure is None:
        return ""
    approx = "" if figure.approximation in (None, "exactly") else f"{figure.approximation} "
    return f"{approx}{figure.value:g}{' ' + figure.unit if figure.unit else ''}"


RELATION_COLUMNS = (
    "id",
    "kind",
    "subject_id",
    "subject",
    "role",
    "object_id",
    "object",
    "start",
    "start_precision",
    "start_qualifier",
    "end",
    "end_precision",
    "end_qualifier",
    "certain",
    "grade",
    "operator",
    "unit",
    "personnel",
    "organization",
    "sources",
)


def _relation_flat(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "kind": r.kind,
        "subject_id": r.subject.id,
        "subject": r.subject.label,
        "role": r.role,
        "object_id": r.object.id,
        "object": r.object.label,
        "start": r.start.isoformat(),
        "start_precision": r.start_precision,
        "start_qualifier": r.start_qualifier,
        "end": r.end.isoformat() if r.end else None,
        "end_precision": r.end_precision,
        "end_qualifier": r.end_qualifier,
        "certain": r.certain,
        "grade": r.grade,
        "operator": r.operator.label if r.operator else None,
        "unit": r.unit,
        "personnel": _figure_text(r.personnel) or None,
        "organization": r.organization.label if r.organization else None,
        "sources": _sources_text(r.sources),
    }


#: How tables say a relation's grade (:class:`cstograph.temporal.Grade`) in the ``held``
#: column: surely, only within the imprecision of a bound, or not excluded.
_GRADE_TEXT = {"held": "yes", "bounds imprecise": "imprecise", "not excluded": "not excluded"}


def render_relations(relations: Sequence[Any], fmt: str) -> str:
    """Relations (``members``, ``relations``): JSON is the documented stable shape, CSV/TSV
    one flat row per relation, the table what a reader needs, roles always shown."""
    if fmt == "json":
        return json.dumps([r.to_dict() for r in relations], indent=2, ensure_ascii=False)
    if fmt in ("csv", "tsv"):
        return render_records([_relation_flat(r) for r in relations], fmt, RELATION_COLUMNS)
    extra = [
        c
        for c in ("operator", "unit", "personnel", "organization")
        if any(getattr(r, c) is not None for r in relations)
    ]
    rows = []
    for r in relations:
        row = {
            "subject": r.subject.label,
            "role": r.role or r.kind,
            "object": r.object.label,
            "from": bound_text(r.start, r.start_precision, r.start_qualifier),
            "until": bound_text(r.end, r.end_precision, r.end_qualifier, open_text="-"),
            "held": _GRADE_TEXT.get(r.grade, r.grade),
        }
        flat = _relation_flat(r)
        row.update({c: flat[c] for c in extra})
        row["sources"] = _sources_cell(r.sources)
        rows.append(row)
    columns = ["subject", "role", "object", "from", "until", "held", *extra, "sources"]
    return render_records(rows, "table", columns)


def render_timeline(items: Sequence[Any], fmt: str) -> str:
    """A timeline of relations and events in date order."""
    if fmt == "json":
        return json.dumps([i.to_dict() for i in items], indent=2, ensure_ascii=False)
    rows = []
    for item in items:
        is_event = item.kind == "event"
        rows.append(
            {
                "from": bound_text(item.start, item.start_precision, item.start_qualifier),
                "until": bound_text(
                    item.end,
                    item.end_precision,
                    None if is_event else item.end_qualifier,
                    open_text="" if is_event else "-",
                ),
                "kind": item.type if is_event else item.kind,
                "what": item.label,
                "id": item.id,
                "sources": _sources_cell(item.sources)
                if fmt == "table"
                else _sources_text(item.sources),
                "held": _GRADE_TEXT.get(item.grade, item.grade),
            }
        )
    # a timeline in a window says how surely each row is in it, when one is not surely there
    held = ["held"] if any(item.grade != "held" for item in items) else []
    return render_records(rows, fmt, ["from", "until", *held, "kind", "what", "id", "sources"])


def render_changes(changes: Sequence[Any], fmt: str) -> str:
    """What changed between two times, by organization (the object of each relation)."""
    if fmt == "json":
        return json.dumps([c.to_dict() for c in changes], indent=2, ensure_ascii=False)
    rows = [
        {
            "object": c.object.label,
            "change": c.change,
            "subject": c.subject.label,
            "kind": c.kind,
            "role before": c.role_before,
            "role after": c.role_after,
            "certain": c.certain if fmt != "table" else ("yes" if c.certain else "no"),
            "relations": "; ".join(c.relations),
        }
        for c in changes
    ]
    columns = ["object", "change", "subject", "kind", "role before", "role after", "certain"]
    if fmt != "table":
        columns.append("relations")
    return render_records(rows, fmt, columns)


def render_conflicts(conflicts: Sequence[Any], fmt: str) -> str:
    """Groups of conflicting claims: one row per claim, numbered by group."""
    if fmt == "json":
        return json.dumps([c.to_dict() for c in conflicts], indent=2, ensure_ascii=False)
    rows = []
    for number, conflict in enumerate(conflicts, start=1):
        for claim in conflict.claims:
            record = claim.record
            is_event = record.kind == "event"
            rows.append(
                {
                    "group": number,
                    "claim": record.id,
                    "what": record.label,
                    "from": bound_text(
                        record.start, record.start_precision, record.start_qualifier
                    ),
                    "until": bound_text(
                        record.end,
                        record.end_precision,
                        None if is_event else record.end_qualifier,
                        open_text="" if is_event else "-",
                    ),
                    "preferred": {True: "yes", False: "no", None: "-"}[claim.preferred],
                    "reason": claim.reason,
                    "sources": _sources_cell(record.sources)
                    if fmt == "table"
                    else _sources_text(record.sources),
                }
            )
    columns = ["group", "claim", "what", "from", "until", "preferred", "reason", "sources"]
    return render_records(rows, fmt, columns)


# Looking things up: events, search, sources ---------------------------------------------------

EVENT_COLUMNS = (
    "id",
    "type",
    "label",
    "start",
    "start_precision",
    "start_qualifier",
    "end",
    "end_precision",
    "end_qualifier",
    "grade",
    "participant_ids",
    "participants",
    "figures",
    "sources",
)


def _figures_text(figures: Sequence[Any]) -> str:
    return "; ".join(_figure_text(f) for f in figures)


def render_events(events: Sequence[Any], fmt: str) -> str:
    """Events (``events``): JSON the records, CSV/TSV one flat row per event, the table
    with dates, type, participants and figures (and ``held`` when a row is not held)."""
    if fmt == "json":
        return json.dumps([e.to_dict() for e in events], indent=2, ensure_ascii=False)
    rows = []
    for e in events:
        rows.append(
            {
                "id": e.id,
                "type": e.type,
                "label": e.label,
                "start": e.start.isoformat(),
                "start_precision": e.start_precision,
                "start_qualifier": e.start_qualifier,
                "end": e.end.isoformat() if e.end else None,
                "end_precision": e.end_precision,
                "end_qualifier": e.end_qualifier,
                "grade": e.grade,
                "participant_ids": "; ".join(p.id for p in e.participants),
                "participants": "; ".join(p.label for p in e.participants),
                "figures": _figures_text(e.figures),
                "sources": _sources_cell(e.sources) if fmt == "table" else _sources_text(e.sources),
                "from": bound_text(e.start, e.start_precision, e.start_qualifier),
                "until": bound_text(e.end, e.end_precision, e.end_qualifier),
                "held": _GRADE_TEXT.get(e.grade, e.grade),
                "event": e.label,
            }
        )
    if fmt != "table":
        return render_records(rows, fmt, EVENT_COLUMNS)
    held = ["held"] if any(e.grade != "held" for e in events) else []
    figures = ["figures"] if any(e.figures for e in events) else []
    columns = ["from", "until", *held, "type", "event", "participants", *figures, "sources"]
    return render_records(rows, "table", columns)


def render_matches(matches: Sequence[Any], fmt: str) -> str:
    """Search results: kind, id, name and a one-line description, best first."""
    records = [m.to_dict() for m in matches]
    if fmt == "json":
        return render_records(records, fmt)
    columns = ["kind", "id", "label", "description", "score"]
    if fmt == "table":
        records = [{**r, "name": r["label"], "about": r["description"]} for r in records]
        columns = ["kind", "id", "name", "about"]
    return render_records(records, fmt, columns)


def render_sources(documents: Sequence[Any], fmt: str) -> str:
    """Source documents (``sources``) with how many relations, events and entities' names
    cite each."""
    if fmt == "json":
        records = []
        for d in documents:
            record = d.to_dict()
            del record["citations"]
            record.update(
                relations=d.cited_by("relation"),
                events=d.cited_by("event"),
                names=d.cited_by("names"),
            )
            records.append(record)
        return render_records(records, fmt)
    rows = [
        {
            "id": d.id,
            "title": d.title,
            "url": d.url,
            "document_name": d.document_name,
            "issued": d.issued.isoformat() if d.issued else None,
            "publisher": d.publisher,
            "kind": d.kind,
            "host": d.host or d.document_name,
            "relations": d.cited_by("relation"),
            "events": d.cited_by("event"),
            "names": d.cited_by("names"),
        }
        for d in documents
    ]
    if fmt == "table":
        kind = ["kind"] if any(d.kind for d in documents) else []
        columns = ["id", "title", "issued", *kind, "host", "relations", "events", "names"]
    else:
        columns = [
            "id", "title", "url", "document_name", "issued", "publisher", "kind",
            "relations", "events", "names",
        ]  # fmt: skip
    return render_records(rows, fmt, columns)


def render_source(document: Any, fmt: str) -> str:
    """One source (``source``): what the graph says of it, then each fact that cites it
    with its locator (JSON: the record with its citations; CSV/TSV: the citations)."""
    if fmt == "json":
        return json.dumps(document.to_dict(), indent=2, ensure_ascii=False)
    citations = [
        {
            "source": document.id,
            "cites": c.what,
            "kind": c.kind,
            "id": c.record.id,
            "fact": c.record.label,
            "date": c.start.isoformat() if c.start else None,
            "when": bound_text(c.start, c.start_precision, c.start_qualifier),
            "locator": c.locator,
            "note": c.note,
        }
        for c in document.citations
    ]
    if fmt != "table":
        columns = ["source", "cites", "kind", "id", "fact", "date", "when", "locator", "note"]
        return render_records(citations, fmt, columns)
    fields = [
        ("title", document.title),
        ("label", document.label),
        ("url", document.url),
        ("document", document.document_name),
        ("issued", document.issued.isoformat() if document.issued else None),
        ("publisher", document.publisher),
        ("kind", document.kind),
        ("note", document.note),
        (
            "cited by",
            f"{document.cited_by('relation')} relations, {document.cited_by('event')} events, "
            f"{document.cited_by('names')} entities' names",
        ),
    ]
    width = max(len(name) for name, value in fields if value)
    lines = [document.id]
    for name, value in fields:
        if value:
            line = f"{name.ljust(width)}  {value}"
            if SETTINGS.width is not None and len(line) > SETTINGS.width:  # fit the terminal
                import textwrap

                line = "\n".join(
                    textwrap.wrap(line, SETTINGS.width, subsequent_indent=" " * (width + 2))
                )
            lines.append(line)
    if citations:
        lines.append("")
        lines.append(
            render_records(citations, "table", ["cites", "kind", "fact", "when", "locator"])
        )
    return "\n".join(lines)
