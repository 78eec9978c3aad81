"""Analysts' tables: time-bounded relations as CSV, both ways.

One row per relation and source citation (a relation cited from three places is three rows
sharing its ``id``). The columns, in order, are :data:`COLUMNS`; README.md documents them.
Import checks every row (unknown entity, bad date, end before start, missing source, ...)
and reports the row number; it writes nothing unless every row is good and the resulting
Turtle passes the shapes.

What a row of each kind becomes comes from :mod:`cstograph.model.kinds`: the class, the
subject and object predicates (a :class:`~cstograph.model.kinds.Link` restricted to a class is
chosen when the entity has it), whether a role is required, and the extra fields the kind
carries. Each field has its columns, the same for every kind: ``unit`` (text), ``operator``
(an entity; a row of a kind with an operator must name one), ``personnel`` and
``personnel_approximation``; a post's organization is read from the post, not from a column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from cstograph.errors import CsvRowError, InputError, UnknownEntityError
from cstograph.index.build import build_index
from cstograph.io.files import write_text_atomic
from cstograph.io.parse import load, new_graph
from cstograph.io.spreadsheet import defuse, restore
from cstograph.model.kinds import Field, Kind, predicate_for
from cstograph.model.kinds import kind as known_kind
from cstograph.model.terms import (
    CS,
    CST,
    DCTERMS,
    ORG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SOURCE_KINDS,
    short_name,
)
from cstograph.temporal import LAST_ASKABLE_YEAR, Precision, parse_date_spec

__all__ = ["COLUMNS", "export_csv", "import_csv", "node_count"]

#: The columns of one citation: a row per relation and citation repeats the relation's.
_CITATION = (
    "source",
    "source_title",
    "source_url",
    "source_issued",
    "source_kind",
    "locator",
    "note",
)
#: The CSV columns, in order.
COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "label",
    "subject",
    "object",
    "role",
    "start",
    "start_precision",
    "start_qualifier",
    "end",
    "end_precision",
    "end_qualifier",
    "operator",
    "unit",
    "personnel",
    "personnel_approximation",
    "preferred",
    "preference_reason",
    "conflicts_with",
    *_CITATION,
)

_QUALIFIERS = {"not later than": CST.NotLaterThan, "not earlier than": CST.NotEarlierThan}
_APPROXIMATIONS = {
    "exactly": CST.Exact,
    "approximately": CST.Approximately,
    "more than": CST.MoreThan,
    "at least": CST.AtLeast,
}
#: A new source's ``source_kind``: the labels of the five source kinds.
_SOURCE_KINDS = {label: kind for kind, label in SOURCE_KINDS.items()}


@dataclass
class _Node:
    """The relation being assembled from one or more rows with the same id."""

    row: int
    fields: dict[str, str]
    citations: list[dict[str, str]] = field(default_factory=list)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


#: What an id (``cs:NAME`` or an http(s) IRI) may contain: no space, none of ``<>"{}|\\^```.
_IRI_CHARS = re.compile(r'[^\s<>"{}|\\^`]+')
#: The largest head count a personnel figure may give.
_MAX_PERSONNEL = Decimal(10) ** 9


def _iri(value: str) -> URIRef:
    if value.startswith("cs:"):
        return CS[value[3:]]
    if re.match(r"https?://", value):
        return URIRef(value)
    return CS[_slug(value)]


def _is_iri(value: str) -> bool:
    """Whether ``value`` names a node: ``cs:NAME`` or an ``http(s)://`` IRI with a host.

    Examples
    --------
    >>> [_is_iri(v) for v in ("cs:a-b", "https://example.org/x", "a b", "http://[::1", "cs:")]
    [True, True, False, False, False]
    """
    if not _IRI_CHARS.fullmatch(value):
        return False
    if value.startswith("cs:"):
        return len(value) > 3
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# export -------------------------------------------------------------------------------------


def export_csv(graph: Graph) -> str:
    """Every relation of ``graph`` (all claims) as CSV text in :data:`COLUMNS` order.

    Examples
    --------
    >>> from cstograph import load
    >>> text = export_csv(load())
    >>> text.splitlines()[0].startswith("id,kind,label,subject,object,role,start")
    True
    """
    history = build_index(graph, claims="all")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for relation in sorted(history.all_relations(), key=lambda r: r.id):
        node = _iri(relation.id)
        reason = graph.value(node, CST.preferenceReason)
        base = {
            "id": relation.id,
            "kind": relation.kind,
            "label": graph.value(node, RDFS.label) or "",
            "subject": relation.subject.id,
            "object": relation.object.id,
            "role": relation.role or "",
            "start": relation.start.isoformat(),
            "start_precision": relation.start_precision,
            "start_qualifier": relation.start_qualifier or "",
            "end": relation.end.isoformat() if relation.end else "",
            "end_precision": relation.end_precision or "",
            "end_qualifier": relation.end_qualifier or "",
            "operator": relation.operator.id if relation.operator else "",
            "unit": relation.unit or "",
            "personnel": f"{relation.personnel.value:g}" if relation.personnel else "",
            "personnel_approximation": (relation.personnel.approximation or "")
            if relation.personnel
            else "",
            "preferred": "" if relation.preferred is None else str(relation.preferred).lower(),
            "preference_reason": str(reason) if reason else "",
            "conflicts_with": " ".join(relation.conflicts_with),
        }
        for source in relation.sources:
            source_node = _iri(source.id)
            issued = graph.value(source_node, DCTERMS.issued)
            url = graph.value(source_node, SCHEMA.url) or graph.value(source_node, CST.documentName)
            row = base | {
                "source": source.id,
                "source_title": source.title,
                "source_url": str(url) if url else "",
                "source_issued": str(issued) if issued else "",
                "source_kind": source.kind or "",
                "locator": source.locator or "",
                "note": source.note or "",
            }
            writer.writerow({k: defuse(str(v)) for k, v in row.items()})
    return buffer.getvalue()


# import -------------------------------------------------------------------------------------


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    if (opened := _unclosed_quote(text)) is not None:
        raise CsvRowError(f"{path}, line {opened}: a quoted field opened here is never closed")
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    doubled = sorted({c for c in header if header.count(c) > 1})
    if doubled:
        raise InputError(f"{path}: column(s) {', '.join(doubled)} appear more than once")
    missing = [
        c for c in ("kind", "subject", "object", "start", "start_precision") if c not in header
    ]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)}; see README 'CSV columns'"
        )
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise InputError(f"{path}: unknown column(s) {', '.join(unknown)}")
    # row numbers as a spreadsheet shows them: the header is row 1
    rows = []
    for number, row in enumerate(reader, start=2):
        if None in row:
            extra = len(row[None])  # DictReader's restkey
            raise CsvRowError(f"{path}, row {number}: {extra} field(s) beyond the header")
        rows.append((number, {k: restore((v or "").strip()) for k, v in row.items()}))
    return rows


def _unclosed_quote(text: str) -> int | None:
    """The line of a ``"`` that no other closes, or None (``""`` inside quotes is a quote).

    Examples
    --------
    >>> _unclosed_quote('a,"b\\n""c"",d",e\\n'), _unclosed_quote('a,b\\nc,"d,e\\n')
    (None, 2)
    """
    line, opened = 1, None
    for char in text:
        if char == "\n":
            line += 1
        elif char == '"':
            opened = line if opened is None else None
    return opened


class _Builder:
    """Turns rows into triples, checking each against the known entities."""

    def __init__(self, path: Path, known: Graph) -> None:
        self.path = path
        self.known = known
        self.history = build_index(known, claims="all")
        self.out = new_graph()
        #: The relation nodes the CSV makes (``conflicts_with`` may name them).
        self.ids: set[URIRef] = set()
        self.roles = {
            name: role
            for role in known.subjects(RDF.type, ORG.Role)
            if isinstance(role, URIRef)
            for name in (
                str(known.value(role, RDFS.label) or "").casefold(),
                str(role).rsplit("#", 1)[-1].casefold(),
            )
        }

    def fail(self, row: int, message: str) -> CsvRowError:
        return CsvRowError(f"{self.path}, row {row}: {message}")

    def entity(self, row: int, column: str, value: str) -> URIRef:
        if not value:
            raise self.fail(row, f"{column} is empty")
        try:
            return self.history.iri(self.history.resolve(value).id)
        except UnknownEntityError as exc:
            raise self.fail(row, f"{column}: {exc}") from None

    def classes(self, entity: URIRef) -> set[URIRef]:
        return {c for c in self.known.objects(entity, RDF.type) if isinstance(c, URIRef)}

    def day(self, row: int, column: str, value: str, precision: str) -> date:
        year = value[:4]  # a date past what questions reach is out of range, not malformed
        if year.isdigit() and int(year) > LAST_ASKABLE_YEAR:
            raise self.fail(row, f"{column} {value!r} is after the year {LAST_ASKABLE_YEAR}")
        try:
            first, _ = parse_date_spec(value)
        except InputError:
            raise self.fail(row, f"{column} {value!r} is not a date (YYYY-MM-DD)") from None
        if precision not in Precision.UNIT:
            raise self.fail(row, f"{column}_precision {precision!r}: use day, month or year")
        if first.isoformat() != value and len(value) == 10:
            raise self.fail(row, f"{column} {value!r} is not a date")
        return first

    def qualifier(self, row: int, column: str, value: str) -> URIRef | None:
        if not value:
            return None
        if value.casefold() not in _QUALIFIERS:
            raise self.fail(row, f"{column} {value!r}: use 'not later than' or 'not earlier than'")
        return _QUALIFIERS[value.casefold()]

    def add(self, node: URIRef, fields: dict[str, str], row: int) -> None:
        g = self.out
        kind = fields["kind"]
        try:
            table = known_kind(kind)
        except InputError as exc:
            raise self.fail(row, str(exc)) from None
        subject = self.entity(row, "subject", fields["subject"])
        obj = self.entity(row, "object", fields["object"])
        start = self.day(row, "start", fields["start"], fields.get("start_precision", ""))
        g.add((node, RDF.type, table.cls))
        label = fields.get("label") or f"{fields['subject']} {kind} {fields['object']}"
        g.add((node, RDFS.label, Literal(label)))
        g.add((node, SCHEMA.startDate, Literal(start)))
        g.add((node, CST.startPrecision, Precision.UNIT[fields["start_precision"]]))
        if q := self.qualifier(row, "start_qualifier", fields.get("start_qualifier", "")):
            g.add((node, CST.startQualifier, q))
        if fields.get("end"):
            end = self.day(row, "end", fields["end"], fields.get("end_precision", ""))
            if end < start:
                raise self.fail(row, f"end {end} is before start {start}")
            g.add((node, SCHEMA.endDate, Literal(end)))
            g.add((node, CST.endPrecision, Precision.UNIT[fields["end_precision"]]))
            if q := self.qualifier(row, "end_qualifier", fields.get("end_qualifier", "")):
                g.add((node, CST.endQualifier, q))
        elif fields.get("end_precision") or fields.get("end_qualifier"):
            raise self.fail(row, "end precision or qualifier given without an end")
        self.links_and_fields(node, table, subject, obj, fields, row)
        if fields.get("preferred"):
            if fields["preferred"] not in ("true", "false"):
                raise self.fail(row, "preferred: use true or false")
            g.add((node, CST.preferred, Literal(fields["preferred"] == "true")))
        if fields.get("preference_reason"):
            g.add((node, CST.preferenceReason, Literal(fields["preference_reason"])))
        for other in fields.get("conflicts_with", "").split():
            if not _is_iri(other):
                raise self.fail(row, f"conflicts_with {other!r} is not an id (cs:NAME or a URL)")
            target = _iri(other)
            if target not in self.ids and (target, None, None) not in self.known:
                raise self.fail(row, f"conflicts_with {other}: no relation has this id")
            g.add((node, CST.conflictsWith, target))

    def links_and_fields(
        self, node: URIRef, kind: Kind, subject: URIRef, obj: URIRef, f: dict[str, str], row: int
    ) -> None:
        """The subject and object links, the role and the extra fields of ``kind``; columns
        of fields the kind does not carry are not written (the readers would not read them).
        """
        g = self.out
        role = None
        if f.get("role"):
            role = self.roles.get(f["role"].casefold())
            if role is None:
                raise self.fail(row, f"unknown role {f['role']!r}")
        g.add((node, predicate_for(kind.subject, self.classes(subject)), subject))
        g.add((node, predicate_for(kind.object, self.classes(obj)), obj))
        if kind.role is not None:
            if role is not None:
                g.add((node, ORG.role, role))
            elif kind.role == "required":
                raise self.fail(row, f"a {kind.name} row needs a role")
        if Field.UNIT in kind.fields and f.get("unit"):
            g.add((node, CST.unitDescription, Literal(f["unit"])))
        if Field.OPERATOR in kind.fields:
            g.add((node, CST.operator, self.entity(row, "operator", f.get("operator", ""))))
        if Field.PERSONNEL in kind.fields and f.get("personnel"):
            try:
                value = Decimal(f["personnel"])
            except InvalidOperation:
                raise self.fail(row, f"personnel {f['personnel']!r} is not a number") from None
            if not value.is_finite() or not 0 <= value <= _MAX_PERSONNEL:
                raise self.fail(
                    row, f"personnel {f['personnel']!r}: give a head count from 0 to 10^9"
                )
            figure = BNode()
            g.add((node, CST.personnel, figure))
            g.add((figure, RDF.type, SCHEMA.QuantitativeValue))
            g.add((figure, SCHEMA.value, Literal(value, datatype=XSD.decimal)))
            g.add((figure, SCHEMA.unitText, Literal("personnel")))
            approximation = f.get("personnel_approximation") or "exactly"
            if approximation not in _APPROXIMATIONS:
                raise self.fail(row, f"personnel_approximation {approximation!r}")
            g.add((figure, CST.approximation, _APPROXIMATIONS[approximation]))

    def cite(self, node: URIRef, citation: dict[str, str], row: int) -> None:
        g = self.out
        source_id = citation.get("source", "")
        title = citation.get("source_title", "")
        if not source_id and not title:
            raise self.fail(row, "no source: give source (an id) or source_title")
        source = _iri(source_id) if source_id else CS["source-" + _slug(title)]
        if (source, RDF.type, CST.SourceDocument) not in self.known:
            if not title:
                raise self.fail(row, f"source {source_id!r} is not declared; give source_title")
            url = citation.get("source_url", "")
            if not url:
                raise self.fail(row, f"source {title!r} needs source_url (a URL or file name)")
            kind = citation.get("source_kind", "")
            if kind not in _SOURCE_KINDS:
                choices = ", ".join(repr(k) for k in _SOURCE_KINDS)
                given = f"source_kind {kind!r}" if kind else "no source_kind"
                raise self.fail(row, f"source {title!r}: {given}; give one of {choices}")
            g.add((source, RDF.type, CST.SourceDocument))
            g.add((source, DCTERMS.title, Literal(title)))
            g.add((source, CST.sourceKind, _SOURCE_KINDS[kind]))
            if re.match(r"https?://", url):
                g.add((source, SCHEMA.url, URIRef(url)))
            else:
                g.add((source, CST.documentName, Literal(url)))
            if citation.get("source_issued"):
                issued = self.day(row, "source_issued", citation["source_issued"], "day")
                g.add((source, DCTERMS.issued, Literal(issued)))
        g.add((node, PROV.wasDerivedFrom, source))
        if not citation.get("locator"):
            raise self.fail(row, "locator is empty: say where in the source the fact is")
        derivation = BNode()
        g.add((node, PROV.qualifiedDerivation, derivation))
        g.add((derivation, RDF.type, PROV.Derivation))
        g.add((derivation, PROV.entity, source))
        g.add((derivation, CST.locator, Literal(citation["locator"])))
        if citation.get("note"):
            g.add((derivation, RDFS.comment, Literal(citation["note"])))


def import_csv(
    path: Path | str,
    out: Path | str | None = None,
    *,
    extra_files: Iterable[Path | str] = (),
    include_graph: bool = True,
) -> Graph:
    """Read a CSV of relations, check it, and return (and write to ``out``) its Turtle.

    Entities are named as everywhere else (label, slug, QID, IRI) and must exist in the
    shipped graph (unless ``include_graph`` is false) or ``extra_files``. Nothing is
    written unless every row is good and the result conforms to the shapes.

    Raises
    ------
    CsvRowError
        A row is wrong; the message gives the file, the row number and what is wrong.
    """
    from cstograph.validation import validate_graph

    path = Path(path)
    known = load(extra_files, include_graph=include_graph)
    builder = _Builder(path, known)
    nodes: dict[URIRef, _Node] = {}
    for number, row in _read_rows(path):
        relation_id = row.get("id") or ""
        if relation_id:
            if not _is_iri(relation_id):
                raise builder.fail(number, f"id {relation_id!r} is not cs:NAME or an http(s) IRI")
            node = _iri(relation_id)
        else:
            slug = _slug(
                f"{row.get('kind')} {row.get('subject')} {row.get('object')} {row.get('start')}"
            )
            node = CS[slug]
        citation = {k: row.get(k, "") for k in _CITATION}
        if node in nodes:
            earlier = nodes[node]
            differing = [
                c
                for c in COLUMNS
                if c not in _CITATION and earlier.fields.get(c, "") != row.get(c, "")
            ]
            if differing:
                raise builder.fail(
                    number,
                    f"id {short_name(node)} is already row {earlier.row}'s, with another "
                    f"{', '.join(differing)} (rows sharing an id cite one relation)",
                )
            earlier.citations.append(citation | {"_row": str(number)})
        else:
            nodes[node] = _Node(number, row, [citation | {"_row": str(number)}])
            if (node, None, None) in known:
                raise builder.fail(number, f"{short_name(node)} already exists in the graph")
    builder.ids = set(nodes)
    for node, assembled in nodes.items():
        builder.add(node, assembled.fields, assembled.row)
        for citation in assembled.citations:
            builder.cite(node, citation, int(citation["_row"]))
    combined = known + builder.out
    report = validate_graph(combined)
    if not report.conforms:
        if report.shape_violations:
            first = report.shape_violations[0]
            detail = f"{first.focus}: {first.message}"
        else:
            check = report.query_violations[0]
            found = ", ".join(f"{k}={v}" for k, v in check.rows[0].items())
            detail = f"{check.check} found {found}"
        raise InputError(f"{path}: the rows do not make a valid graph: {detail}")
    if out is not None:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(out, builder.out.serialize(format="turtle"))
    return builder.out


def node_count(graph: Graph) -> int:
    """The named (not blank) nodes ``graph`` says something about: what an import adds.

    Examples
    --------
    >>> graph = Graph()
    >>> _ = graph.add((CS.a, RDFS.label, Literal("a"))).add((BNode(), RDFS.label, CS.a))
    >>> node_count(graph)
    1
    """
    return len({s for s in graph.subjects() if not isinstance(s, BNode)})
