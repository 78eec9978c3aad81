"""Loading: the shipped files, user files, parse errors with file and line, offline only."""

from __future__ import annotations

import pytest

from cstograph import DataFileError, NetworkRefusedError, load
from cstograph.io import paths
from cstograph.model.terms import CS, CST, RDF

from .conftest import DATA


def test_load_has_ontology_and_graph(graph):
    assert (CST.State, None, None) in graph
    assert (CS.csto, RDF.type, CST.Alliance) in graph


def test_graph_files_are_found():
    names = {p.name for p in paths.graph_files()}
    assert {"sources.ttl", "entities.ttl"} <= names
    assert paths.shapes_file().is_file()
    assert paths.violation_queries()


def test_ontology_only():
    graph = load(include_graph=False)
    assert (CS.csto, None, None) not in graph
    assert (CST.State, None, None) in graph


def test_user_file_adds_triples(graph):
    combined = load([DATA / "user-membership.ttl"])
    assert len(combined) > len(graph)
    assert (CS["membership-testland-csto"], RDF.type, CST.AllianceMembership) in combined


def test_malformed_turtle_reports_line():
    with pytest.raises(DataFileError) as info:
        load([DATA / "malformed.ttl"])
    assert info.value.line == 5
    assert info.value.path.endswith("malformed.ttl")
    assert "newline found in string literal" in info.value.reason


def test_remote_context_refused():
    with pytest.raises(NetworkRefusedError):
        load([DATA / "remote-context.jsonld"], include_graph=False)


def test_bad_json_is_a_data_file_error(tmp_path):
    path = tmp_path / "bad.jsonld"
    path.write_text('{"@id": ')
    with pytest.raises(DataFileError) as info:
        load([path], include_graph=False)
    assert "not JSON" in str(info.value)


def test_rdfxml_doctype_refused(tmp_path):
    path = tmp_path / "x.rdf"
    path.write_text('<?xml version="1.0"?><!DOCTYPE rdf:RDF SYSTEM "http://example.org/x.dtd"><x/>')
    with pytest.raises(NetworkRefusedError):
        load([path], include_graph=False)


def test_parsed_graphs_are_cached_by_file_state(tmp_path, monkeypatch):
    monkeypatch.setenv("CSTOGRAPH_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "mine.ttl"
    data.write_text(
        '<https://w3id.org/cstograph/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "one" .\n'
    )
    first = load([data], include_graph=False)
    assert len(list((tmp_path / "cache").glob("graph-*.pickle"))) == 1
    again = load([data], include_graph=False)
    assert set(again) == set(first)
    again.add((CS.y, RDF.type, CST.State))  # a caller's change never reaches the cache
    assert (CS.y, RDF.type, CST.State) not in load([data], include_graph=False)
    data.write_text(
        '<https://w3id.org/cstograph/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "two" .\n'
    )
    import os

    os.utime(data, ns=(data.stat().st_atime_ns, data.stat().st_mtime_ns + 1_000_000))
    changed = load([data], include_graph=False)
    labels = {str(o) for o in changed.objects(CS.x, None)}
    assert labels == {"two"}


def test_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("CSTOGRAPH_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load(include_graph=False)
    assert not list(tmp_path.rglob("*.pickle"))


def test_a_corrupt_cache_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("CSTOGRAPH_CACHE", str(tmp_path))
    expected = len(load(include_graph=False))
    for cached in tmp_path.glob("graph-*.pickle"):
        cached.write_bytes(b"not a pickle")
    assert len(load(include_graph=False)) == expected
