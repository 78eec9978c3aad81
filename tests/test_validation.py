"""The validation memo: one report per exact file set, a few kept, redone when a file changes."""

from __future__ import annotations

import os

import pytest

from cstograph import validation
from cstograph.validation import ValidationReport

EXTRA = """@prefix cs: <https://w3id.org/cstograph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
cs:test-{n} rdfs:label "Node {n}"@en .
"""


@pytest.fixture
def counted(monkeypatch):
    """validate() with an empty memo and a stand-in for the SHACL run that counts its calls."""
    calls = []

    def fake(graph):
        calls.append(len(graph))
        return ValidationReport(triples=len(graph), shapes_checked=0, checks_run=[])

    monkeypatch.setattr(validation, "_REPORTS", {})
    monkeypatch.setattr(validation, "validate_graph", fake)
    return calls


def files(tmp_path, count):
    out = []
    for n in range(count):
        path = tmp_path / f"extra-{n}.ttl"
        path.write_text(EXTRA.format(n=n), encoding="utf-8")
        out.append(path)
    return out


def test_one_report_per_file_set(counted, tmp_path):
    a, b = files(tmp_path, 2)
    first = validation.validate([a], include_graph=False)
    other = validation.validate([b], include_graph=False)
    assert validation.validate([a], include_graph=False) is first
    assert validation.validate([b], include_graph=False) is other
    assert len(counted) == 2
    # the shipped graph is another file set, and so is a different network setting
    validation.validate([a], include_graph=False, allow_network=True)
    assert len(counted) == 3


def test_a_changed_file_is_validated_again(counted, tmp_path):
    (a,) = files(tmp_path, 1)
    first = validation.validate([a], include_graph=False)
    a.write_text(EXTRA.format(n="changed-and-longer"), encoding="utf-8")
    second = validation.validate([a], include_graph=False)
    assert second is not first and len(counted) == 2
    stat = a.stat()
    os.utime(a, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # same size, touched
    assert validation.validate([a], include_graph=False) is not second
    assert len(counted) == 3


def test_the_least_recently_used_is_dropped(counted, tmp_path):
    kept = validation._REPORTS_KEPT
    many = files(tmp_path, kept + 1)
    for path in many[:kept]:
        validation.validate([path], include_graph=False)
    validation.validate([many[0]], include_graph=False)  # used again: now the newest
    validation.validate([many[kept]], include_graph=False)  # one too many: drops many[1]
    assert len(validation._REPORTS) == kept and len(counted) == kept + 1
    validation.validate([many[0]], include_graph=False)
    assert len(counted) == kept + 1
    validation.validate([many[1]], include_graph=False)
    assert len(counted) == kept + 2
