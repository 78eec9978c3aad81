"""Fast to start: --help and a query never import matplotlib, pyshacl or owlrl."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("matplotlib", "pyshacl", "owlrl")


def imported_modules(*args: str) -> set[str]:
    """Run ``python -X importtime -m cstograph ARGS`` and return every module it imported."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cstograph", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


@pytest.mark.parametrize(
    "args",
    [("--help",), ("query", "ASK { cs:csto a cst:Alliance }"), ("info",)],
    ids=["help", "query", "info"],
)
def test_no_heavy_imports(args):
    modules = imported_modules(*args)
    assert "click" in modules  # the measurement itself works
    heavy = {m for m in modules if m.split(".")[0] in HEAVY}
    assert heavy == set()


def test_help_does_not_even_import_rdflib():
    assert not {m for m in imported_modules("--help") if m.startswith("rdflib")}


def test_temporal_question_does_not_import_the_sparql_engine():
    """``members`` answers from the interval index: rdflib's SPARQL parser (0.15 s to import)
    comes in only with a query or a ``sparql:URL`` store."""
    modules = imported_modules("members", "CSTO", "--year", "2007")
    assert "cstograph.index.history" in modules  # the measurement itself works
    assert not {m for m in modules if m.startswith("rdflib.plugins.sparql")}


def test_python_dash_m_runs_the_cli():
    proc = subprocess.run(
        [sys.executable, "-m", "cstograph", "--version"], capture_output=True, text=True, check=True
    )
    assert proc.stdout.startswith("cstograph, version ")
