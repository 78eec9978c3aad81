"""CSV of relations: export, import with row-numbered errors, lossless round trip."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from rdflib import RDF, RDFS, BNode, Graph, Literal

from cstograph import load
from cstograph.cli import cli
from cstograph.errors import CsvRowError, InputError
from cstograph.export.relations_csv import COLUMNS, export_csv, import_csv
from cstograph.index.history import History
from cstograph.model.terms import CS, CST, PROV, short_name

from .conftest import DATA
from .test_cli import assert_one_line_error


def entities_only(graph: Graph) -> Graph:
    """The graph without its relation nodes (and their derivations and figures)."""
    history = History(graph, claims="all")
    nodes = {history.iri(r.id) for r in history.all_relations()}
    kept = Graph()
    dropped = set(nodes)
    for node in nodes:
        dropped |= {o for _, o in graph.predicate_objects(node) if isinstance(o, BNode)}
    for s, p, o in graph:
        if s not in dropped and not (p == PROV.wasDerivedFrom and s in nodes):
            kept.add((s, p, o))
    return kept


def test_columns_are_documented():
    readme = (DATA.parent.parent / "README.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"`{column}`" in readme, column


def test_round_trip_on_the_shipped_data(tmp_path):
    graph = load()
    first = export_csv(graph)
    (tmp_path / "relations.csv").write_text(first, encoding="utf-8")
    base = tmp_path / "entities.ttl"
    entities_only(graph).serialize(base, format="turtle")
    imported = import_csv(
        tmp_path / "relations.csv", tmp_path / "out.ttl", extra_files=[base], include_graph=False
    )
    assert len(imported) > 0
    second = export_csv(load([base, tmp_path / "out.ttl"], include_graph=False))
    assert second == first


def test_export_has_one_row_per_citation():
    graph = load()
    rows = list(csv.DictReader(io.StringIO(export_csv(graph))))
    armenia = [r for r in rows if r["id"] == "cs:membership-armenia-csto-charter"]
    assert len(armenia) >= 4
    assert {r["locator"] for r in armenia} >= {"paragraph 4", "paragraph 10"}
    assert all(r["subject"] == "cs:armenia" and r["role"] == "full member" for r in armenia)


GOOD = {
    "kind": "member-of",
    "subject": "Testland",
    "object": "CSTO",
    "role": "observer",
    "start": "2013-03-01",
    "start_precision": "day",
    "end": "2015-01-01",
    "end_precision": "year",
    "source_title": "A user's research notes",
    "source_url": "notes.txt",
    "source_kind": "scholarly",
    "locator": "page 2",
    "note": "Testland observed the CSTO.",
}


def write_csv(path, *rows):
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(GOOD))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_import_good_rows(tmp_path):
    path = write_csv(tmp_path / "in.csv", GOOD)
    out = tmp_path / "out.ttl"
    graph = import_csv(path, out, extra_files=[DATA / "user-membership.ttl"])
    assert out.is_file()
    history = History(load([DATA / "user-membership.ttl", out]))
    observers = history.members("CSTO", on="2014-05-01", role="observer")
    assert any(
        r.subject.label == "Testland" and r.sources[0].locator == "page 2" for r in observers
    )
    assert (None, None, None) in graph


@pytest.mark.parametrize(
    "change,message",
    [
        ({"subject": "Atlantis"}, "row 3: subject: no entity is called 'Atlantis'"),
        ({"start": "2013-02-30"}, "row 3: start '2013-02-30' is not a date"),
        ({"end": "2009-01-01"}, "row 3: end 2009-01-01 is before start 2013-03-01"),
        ({"source_title": "", "source_url": ""}, "row 3: no source"),
        ({"kind": "allied-with"}, "row 3: unknown kind 'allied-with'"),
        ({"role": "emperor"}, "row 3: unknown role 'emperor'"),
        ({"start_precision": "decade"}, "row 3: start_precision 'decade'"),
        ({"locator": ""}, "row 3: locator is empty"),
        (
            {"source_title": "Other notes", "source_kind": ""},
            "row 3: source 'Other notes': no source_kind; give one of 'official'",
        ),
        (
            {"source_title": "Other notes", "source_kind": "rumour"},
            "row 3: source 'Other notes': source_kind 'rumour'; give one of",
        ),
    ],
)
def test_bad_row_is_reported_and_nothing_written(tmp_path, change, message):
    other = dict(GOOD, start="2016-01-01", end="", end_precision="", locator="page 3")
    path = write_csv(tmp_path / "in.csv", other, dict(GOOD, **change))
    out = tmp_path / "out.ttl"
    with pytest.raises(CsvRowError) as info:
        import_csv(path, out, extra_files=[DATA / "user-membership.ttl"])
    assert message in str(info.value)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left either


def test_cli_import_and_errors(tmp_path):
    path = write_csv(tmp_path / "in.csv", GOOD)
    out = tmp_path / "graph" / "mine.ttl"
    runner = CliRunner()
    args = ["import", str(path), "--out", str(out), "--data", str(DATA / "user-membership.ttl")]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out}: ")
    bad = write_csv(tmp_path / "bad.csv", dict(GOOD, end="2001-01-01"))
    result = runner.invoke(cli, ["import", str(bad), "--out", str(tmp_path / "x.ttl")])
    assert_one_line_error(result, 2, "row 2:")
    assert not (tmp_path / "x.ttl").exists()


def test_missing_columns(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("kind,subject\nmember-of,Russia\n", encoding="utf-8")
    with pytest.raises(Exception, match="missing column"):
        import_csv(path)


def test_existing_id_is_refused(tmp_path):
    path = write_csv(tmp_path / "in.csv", GOOD)
    text = (
        path.read_text()
        .replace("kind,", "id,kind,", 1)
        .replace("\nmember-of", "\ncs:membership-russia-csto-charter,member-of")
    )
    path.write_text(text)
    with pytest.raises(CsvRowError, match="already exists"):
        import_csv(path, extra_files=[DATA / "user-membership.ttl"])
    assert CS["membership-russia-csto-charter"]


def test_cli_export_csv_is_the_import_format(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "--format", "csv"])
    assert result.exit_code == 0
    assert result.output == export_csv(load())
    out = tmp_path / "relations.csv"
    result = runner.invoke(cli, ["export", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8") == export_csv(load())
    assert result.stderr.startswith(f"Wrote {out}: ")
    assert next(csv.reader(io.StringIO(out.read_text()))) == list(COLUMNS)
    result = runner.invoke(cli, ["export", "--format", "csv", "--owl-time"])
    assert result.exit_code == 2


# Spreadsheet formulas ----------------------------------------------------------------------


@given(st.text(max_size=12))
def test_a_defused_cell_restores_to_what_it_was(cell):
    from cstograph.io.spreadsheet import FORMULA_STARTS, defuse, restore

    assert restore(defuse(cell)) == cell
    out = defuse(cell)
    if out.startswith(FORMULA_STARTS):  # only a number may still start like a formula
        assert float(out) == float(cell)


def test_export_does_not_hand_a_spreadsheet_a_formula(tmp_path):
    """A label that starts like a formula is written with an apostrophe first, and the
    import reads back the label itself."""
    from cstograph import load

    graph = load()
    node = next(graph.subjects(RDF.type, CST.AllianceMembership))
    graph.set((node, RDFS.label, Literal('=HYPERLINK("http://127.0.0.1/x","click")')))
    text = export_csv(graph)
    [row] = [r for r in csv.DictReader(io.StringIO(text)) if r["id"] == short_name(node)][:1]
    assert row["label"] == '\'=HYPERLINK("http://127.0.0.1/x","click")'
    assert not [c for r in csv.reader(io.StringIO(text)) for c in r if c.startswith("=")]
    path = tmp_path / "relations.csv"
    path.write_text(text, encoding="utf-8")
    base = tmp_path / "entities.ttl"
    entities_only(graph).serialize(base, format="turtle")
    back = import_csv(path, tmp_path / "out.ttl", extra_files=[base], include_graph=False)
    assert str(back.value(node, RDFS.label)) == '=HYPERLINK("http://127.0.0.1/x","click")'


def _raw_csv(path, header, *lines):
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


_HEAD = ",".join(GOOD)
_ROW = ",".join(f'"{v}"' for v in GOOD.values())


@pytest.mark.parametrize(
    "header,lines,message",
    [
        (_HEAD + ",kind", [_ROW + ",member-of"], "column(s) kind appear more than once"),
        (_HEAD, [_ROW + ",extra"], "row 2: 1 field(s) beyond the header"),
        ("id," + _HEAD, ['"cs:a b<>",' + _ROW], "row 2: id 'cs:a b<>' is not cs:NAME"),
        (
            "conflicts_with," + _HEAD,
            ["cs:nothere," + _ROW],
            "row 2: conflicts_with cs:nothere: no relation has this id",
        ),
        (_HEAD, [_ROW.replace('"2013-03-01"', '"9999-03-01"')], "after the year 9998"),
        (_HEAD, [_ROW.replace('"Testland"', '"Testland')], "line 2: a quoted field opened"),
        (
            "id," + _HEAD,
            ["cs:x," + _ROW, "cs:x," + _ROW.replace('"observer"', '"full member"')],
            "row 3: id cs:x is already row 2's, with another role",
        ),
    ],
    ids=["doubled-column", "beyond-header", "not-an-iri", "dangling", "year-9999", "quote", "id"],
)
def test_import_refuses_what_it_cannot_keep(tmp_path, header, lines, message):
    """Each case once let a bad row through or crashed; now one line and nothing written."""
    path = _raw_csv(tmp_path / "in.csv", header, *lines)
    out = tmp_path / "out.ttl"
    with pytest.raises(InputError) as info:
        import_csv(path, out, extra_files=[DATA / "user-membership.ttl"])
    assert message in str(info.value) and str(path) in str(info.value)
    assert not out.exists()
