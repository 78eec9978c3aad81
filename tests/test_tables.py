"""Tables for people: on a terminal they fit its width, piped or with --wide they are
complete, --columns chooses columns, sources are compact unless asked for whole, labels
replace IRIs, and empty or partial answers say why (issue "Ask it the way people ask")."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from click.testing import CliRunner

from cstograph.cli import cli

CSTOGRAPH = str(Path(sys.executable).parent / "cstograph")
WIDE_COMMANDS = [
    ("members", "NATO", "--year", "2020"),
    ("relations", "--year", "2010"),
    ("timeline", "Kazakhstan"),
    ("events", "--year", "2022"),
    ("source", "cs:source-seed-000"),
    ("conflicts",),
    ("query", "--list"),
]


def on_terminal(*args: str, columns: int = 100) -> tuple[int, list[str]]:
    """Run cstograph with a pseudo-terminal of ``columns`` columns as its output."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = dict(os.environ, COLUMNS=str(columns))
    process = subprocess.Popen(
        [CSTOGRAPH, *args], stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed its side
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return process.wait(timeout=60), output.decode().replace("\r", "").splitlines()


def piped(*args: str) -> list[str]:
    result = subprocess.run([CSTOGRAPH, *args], capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


@pytest.mark.parametrize("args", WIDE_COMMANDS, ids=[" ".join(a) for a in WIDE_COMMANDS])
def test_tables_fit_a_100_column_terminal(args):
    code, lines = on_terminal(*args)
    assert code == 0
    assert len(lines) > 3
    assert max(len(line) for line in lines) <= 100, max(lines, key=len)
    # and they were cut: the same table piped is wider
    assert max(len(line) for line in piped(*args)) > 100
    assert any("…" in line for line in lines)


def test_wide_on_a_terminal_is_complete():
    args = ("members", "NATO", "--year", "2020")
    _, lines = on_terminal(*args, "--wide")
    assert [line for line in lines if not line.startswith(("note:", "      "))] == piped(*args)


def test_columns_choose_and_order():
    lines = piped("members", "CSTO", "--year", "2007", "--columns", "held,subject")
    assert lines[0].split() == ["held", "subject"]
    assert {line.split()[1] for line in lines[2:]} >= {"Armenia", "Uzbekistan"}
    rows = piped("members", "CSTO", "--year", "2007", "--format", "csv", "--columns", "subject_id")
    assert rows[0] == "subject_id" and "cs:russia" in rows


def test_an_unknown_column_is_a_one_line_error():
    result = CliRunner().invoke(cli, ["members", "CSTO", "--columns", "subject,colour"])
    assert result.exit_code == 2
    assert "--columns: no column 'colour'; this table has: subject,role," in result.output
    assert "Traceback" not in result.output


def test_sources_compact_by_default_full_when_asked():
    compact = piped("members", "CSTO", "--year", "2010", "--columns", "subject,sources")
    russia = next(line for line in compact if line.startswith("Russia"))
    assert "cs:source-" not in russia and "+" in russia  # a host and how many more
    full = piped("members", "CSTO", "--year", "2010", "--columns", "subject,sources",
                 "--sources", "full")  # fmt: skip
    russia_full = next(line for line in full if line.startswith("Russia"))
    assert "cs:source-odkb-basic-facts (para" in russia_full
    more = int(russia.rsplit("+", 1)[1])
    assert russia_full.count("cs:source-") == more + 1


def test_named_query_tables_show_labels_and_json_keeps_ids():
    args = ("query", "members-in-year", "--year", "2007", "--param", "org=CSTO")
    lines = piped(*args)
    csto = "Collective Security Treaty Organization  Armenia"
    assert any(line.startswith(csto) for line in lines)
    assert not any(cell == "cs:armenia" for line in lines for cell in line.split())
    assert "full member" in lines[2] and "day" in lines[2].split()
    data = json.loads("\n".join(piped(*args, "--format", "json")))
    assert data["results"]["bindings"][0]["member"]["value"].endswith("/armenia")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("Russia", "--year", "2010"), "Russia is a state, not an organization"),
        (("CSTO", "--year", "1995"), "It followed the Collective Security Treaty in 2002-05"),
        (("EurAsEC", "--year", "2020"), "The Eurasian Economic Union followed it on 2015-01-01"),
        (("NATO", "--year", "2020"), "Recorded in part:"),
    ],
)
def test_answers_say_why_they_are_empty_or_partial(args, expected):
    result = subprocess.run([CSTOGRAPH, "members", *args], capture_output=True, text=True)
    assert result.returncode == 0
    assert expected in result.stderr
    assert "note:" not in result.stdout  # stdout stays the table


def test_a_whole_answer_has_no_note():
    result = subprocess.run([CSTOGRAPH, "members", "CSTO", "--year", "2010"],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0 and result.stderr == ""
    assert "Uzbekistan" in result.stdout


def test_metrics_name_the_organizations_recorded_in_part():
    from cstograph import load
    from cstograph.index.history import History
    from cstograph.index.notes import coverage_of

    result = subprocess.run([CSTOGRAPH, "metrics", "--from", "2020", "--to", "2020"],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0
    history = History(load())
    for name in ("NATO", "SCO", "CSTO", "CIS"):
        coverage = coverage_of(history, name)
        assert coverage is not None
        said = f"note: {coverage.organization.label} is recorded in part"
        assert (said in result.stderr) is (not coverage.whole), name
    assert "note:" not in result.stdout
