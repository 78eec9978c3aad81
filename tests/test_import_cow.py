"""``cstograph import-cow-igo``: COW IGO v3 state-year rows become membership spells.

The excerpt (tests/data/cow/, citation in tests/data/README.md) is read here a second, simple
way (years per state, IGO and status, split where years are not consecutive) and the import
must give the same spells, each with its bounds as cow_igo's rules say.
"""

from __future__ import annotations

import csv
import gzip
import shutil
from collections import defaultdict
from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph

from cstograph.cli import cli
from cstograph.imports.cow_igo import COW, SOURCE
from cstograph.io.parse import load
from cstograph.model.terms import CS, CST, ORG, PROV, SCHEMA
from cstograph.validation import validate_graph

EXCERPT = Path(__file__).parent / "data" / "cow" / "post_soviet_state_year.csv"
ROLES = {"1": CST.FullMember, "2": CST.AssociateMember, "3": CST.Observer}


def simple_spells() -> set[tuple[str, str, str, int, int]]:
    years: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    with EXCERPT.open() as f:
        for row in csv.DictReader(f):
            for igo, value in row.items():
                if igo not in ("ccode", "year", "state") and value in ROLES:
                    years[(row["ccode"], igo, value)].append(int(row["year"]))
    out = set()
    for (ccode, igo, value), ys in years.items():
        first = ys[0]
        for a, b in zip(ys, [*ys[1:], None], strict=True):
            if b != a + 1:
                out.add((ccode, igo, value, first, a))
                if b is not None:
                    first = b
    return out


def imported(tmp_path: Path, source: Path = EXCERPT) -> Graph:
    out = tmp_path / "cow.ttl"
    result = CliRunner().invoke(cli, ["import-cow-igo", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    graph = Graph()
    graph.parse(out, format="turtle")
    return graph


def read_spells(graph: Graph) -> set[tuple[str, str, str, int, int]]:
    roles = {v: k for k, v in ROLES.items()}
    found = set()
    for node in graph.subjects(ORG.role, None):
        derivation = graph.value(node, PROV.qualifiedDerivation)
        locator = str(graph.value(derivation, CST.locator))
        ccode, ioname, years = (part.split(" ", 1)[1] for part in locator.split(", "))
        first, last = (int(y) for y in years.split("-"))
        assert graph.value(node, PROV.wasDerivedFrom) == SOURCE
        found.add((ccode, ioname.casefold(), roles[graph.value(node, ORG.role)], first, last))
    return found


def test_spells_match_a_simple_reading_of_the_rows(tmp_path: Path) -> None:
    expected = simple_spells()
    assert len(expected) == 40
    assert read_spells(imported(tmp_path)) == expected


def test_bounds_say_right_censored_and_ended(tmp_path: Path) -> None:
    graph = imported(tmp_path)
    by_node = {str(n).rsplit("/", 1)[1]: n for n in graph.subjects(ORG.role, None)}
    # Uzbekistan in the CSTO: COW 2002-2011, then 0 in 2012: ended during 2011
    uzb = by_node["membership-704-csto-2002"]
    assert str(graph.value(uzb, SCHEMA.endDate)) == "2011-01-01"
    assert graph.value(uzb, CST.endQualifier) is None
    assert graph.value(uzb, ORG.member) == CS.uzbekistan
    assert graph.value(uzb, ORG.organization) == CS.csto
    # Russia in the CSTO reaches 2014: "2014 or later", not an end
    rus = by_node["membership-365-csto-2002"]
    assert str(graph.value(rus, SCHEMA.endDate)) == "2014-01-01"
    assert graph.value(rus, CST.endQualifier) == CST.NotEarlierThan
    # Georgia in the CIS: COW 1995-2007, 0 before and after
    assert ("372", "cis", "1", 1995, 2007) in read_spells(graph)
    geo = by_node["membership-372-cis-1995"]
    assert str(graph.value(geo, SCHEMA.startDate)) == "1995-01-01"
    assert graph.value(geo, CST.startQualifier) is None
    # code 365 before 1992 is the USSR: a COW-only entity, never cs:russia
    ussr = [n for n in by_node if n.startswith("membership-365-") and int(n[-4:]) < 1992]
    for name in ussr:
        assert graph.value(by_node[name], ORG.member) == COW["state-365"]


def test_gzipped_and_upper_case_columns_read_the_same(tmp_path: Path) -> None:
    text = EXCERPT.read_text()
    header, rest = text.split("\n", 1)
    packed = tmp_path / "upper.csv.gz"
    with gzip.open(packed, "wt") as f:
        f.write(header.upper() + "\n" + rest)
    (tmp_path / "a").mkdir()
    assert read_spells(imported(tmp_path / "a", packed)) == simple_spells()


def test_no_shape_violation_beside_the_shipped_graph(tmp_path: Path) -> None:
    imported(tmp_path)
    report = validate_graph(load([tmp_path / "cow.ttl"]))
    assert report.shape_violations == []
    # what remains is the record and COW saying the same or different things
    assert {q.check for q in report.query_violations} <= {
        "overlapping-membership-violation",
        "membership-before-organization-violation",
        "unlinked-conflict-violation",
    }


def test_a_bad_row_is_one_line_exit_2_and_nothing_written(tmp_path: Path) -> None:
    lines = EXCERPT.read_text().splitlines()
    lines[5] = lines[5].rsplit(",", 1)[0] + ",7"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.ttl"
    result = CliRunner().invoke(cli, ["import-cow-igo", str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output == f"Error: {bad}, row 6: caecc '7' is not one of -9, -1, 0, 1, 2, 3\n"
    assert not out.exists()
    shutil.copy(EXCERPT, bad)
    lines[5] = EXCERPT.read_text().splitlines()[3]
    bad.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(cli, ["import-cow-igo", str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert "row 6: year" in result.output and "(one row per year, in order)" in result.output
    assert not out.exists()
