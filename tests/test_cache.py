"""The parse cache is verified before it is believed: an HMAC-SHA256 under a per-user key
(0600, made on first use) covers each entry; a tampered byte means the files are parsed
again, a planted pickle is never unpickled, and the cache keeps a bounded number of entries."""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from cstograph.cli import cli
from cstograph.io import parse
from cstograph.io.parse import load
from cstograph.model.terms import CS, SCHEMA

DATED = """@prefix cs: <https://w3id.org/cstograph/id/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
cs:x schema:startDate "2001-02-03"^^xsd:date .
"""


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("CSTOGRAPH_CACHE", str(directory))
    return directory


@pytest.fixture
def data(tmp_path) -> Path:
    path = tmp_path / "dated.ttl"
    path.write_text(DATED, encoding="utf-8")
    return path


def entry(cache: Path) -> Path:
    (found,) = cache.glob("graph-*.pickle")
    return found


def start(graph) -> str:
    return str(graph.value(CS.x, SCHEMA.startDate))


def test_the_key_is_made_on_first_use_and_private(cache, data):
    load([data], include_graph=False, include_ontology=False)
    key = cache / "key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.stat().st_size == 32
    assert stat.S_IMODE(cache.stat().st_mode) & 0o077 == 0
    assert entry(cache).read_bytes().startswith(b"cstograph parse cache 2\n")
    assert stat.S_IMODE(entry(cache).stat().st_mode) == 0o600


def test_a_tampered_byte_means_the_files_are_read_again(cache, data):
    assert start(load([data], include_graph=False, include_ontology=False)) == "2001-02-03"
    cached = entry(cache)
    body = cached.read_bytes()
    assert body.count(b"2001-02-03") == 1
    cached.write_bytes(body.replace(b"2001-02-03", b"2009-02-03"))  # same length, bad HMAC
    graph = load([data], include_graph=False, include_ontology=False)
    assert start(graph) == "2001-02-03"
    rewritten = parse._read_cache(cached)  # rewritten from the files, and verified
    assert rewritten is not None and start(rewritten) == "2001-02-03"


class Payload:
    """Unpickling this runs code: it creates the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.mark.parametrize("header", [b"", b"cstograph parse cache 2\n" + bytes(32)])
def test_a_planted_pickle_is_never_run(cache, data, tmp_path, header):
    load([data], include_graph=False, include_ontology=False)
    marker = tmp_path / "pwned"
    entry(cache).write_bytes(header + pickle.dumps(Payload(marker)))
    graph = load([data], include_graph=False, include_ontology=False)
    assert not marker.exists()
    assert start(graph) == "2001-02-03"


@pytest.mark.parametrize("damage", ["truncated", "empty", "header-only"])
def test_a_corrupted_entry_is_ignored_without_a_word(cache, data, damage):
    load([data], include_graph=False, include_ontology=False)
    cached = entry(cache)
    body = cached.read_bytes()
    cached.write_bytes(
        {"truncated": body[: len(body) // 2], "empty": b"", "header-only": body[:40]}[damage]
    )
    result = CliRunner().invoke(cli, ["info", "--data", str(data)])
    assert result.exit_code == 0 and result.stderr == ""


def test_an_entry_is_good_only_under_its_own_name(cache, data, tmp_path):
    other = tmp_path / "other.ttl"
    other.write_text(DATED.replace("2001-02-03", "1999-09-09"), encoding="utf-8")
    load([data], include_graph=False, include_ontology=False)
    first = entry(cache)
    load([other], include_graph=False, include_ontology=False)
    (second,) = set(cache.glob("graph-*.pickle")) - {first}
    second.write_bytes(first.read_bytes())  # a valid entry, moved under another name
    assert start(load([other], include_graph=False, include_ontology=False)) == "1999-09-09"


def test_a_key_others_can_read_turns_the_cache_off(cache, data):
    load([data], include_graph=False, include_ontology=False)
    os.chmod(cache / "key", 0o644)
    entry(cache).unlink()
    assert start(load([data], include_graph=False, include_ontology=False)) == "2001-02-03"
    assert not list(cache.glob("graph-*.pickle"))


def test_a_directory_others_can_write_turns_the_cache_off(cache, data):
    cache.mkdir(mode=0o700)
    os.chmod(cache, 0o777)
    load([data], include_graph=False, include_ontology=False)
    assert list(cache.iterdir()) == []


def test_the_cache_keeps_the_most_recently_used_entries(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(parse, "CACHE_ENTRIES", 2)
    files = []
    for i in range(3):
        path = tmp_path / f"f{i}.ttl"
        path.write_text(DATED.replace("cs:x", f"cs:x{i}"), encoding="utf-8")
        files.append(path)
    names = []
    for i, path in enumerate(files):
        load([path], include_graph=False, include_ontology=False)
        (new,) = set(cache.glob("graph-*.pickle")) - set(names)
        os.utime(new, ns=(i * 10**9, i * 10**9))  # a clear order, whatever the clock
        names.append(new)
    assert set(cache.glob("graph-*.pickle")) == set(names[1:])
