"""Hashed word shingles: how the tests check that the notes are our own words without
shipping (or reading) the seed document's text.

A text's shingles are its runs of ``N`` consecutive words, lower-cased, words being
``[a-z0-9']+``; each is kept as the first 16 hex digits of its SHA-256.
``tests/data/seed-shingles.txt`` holds the hashes of every shingle of the seed document;
:func:`copied` finds the shingles of a text whose hashes are among them.

Regenerate the file from the repository root, ``SEED`` being the path of the seed document
(``seed/000_c67d9e9a9e28a94f.txt`` in the shared folder outside the repository)::

    .venv/bin/python -m tests.shingles "$SEED" > tests/data/seed-shingles.txt
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path

#: Words per shingle: eight consecutive words repeated from the seed count as copied.
N = 8
SEED_SHINGLES = Path(__file__).resolve().parent / "data" / "seed-shingles.txt"


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def shingles(text: str, n: int = N) -> list[str]:
    """Every run of ``n`` consecutive words of ``text``, normalised, joined by one space."""
    found = words(text)
    return [" ".join(found[i : i + n]) for i in range(len(found) - n + 1)]


def digest(shingle: str) -> str:
    return hashlib.sha256(shingle.encode("utf-8")).hexdigest()[:16]


def hashes(text: str, n: int = N) -> set[str]:
    return {digest(s) for s in shingles(text, n)}


def copied(text: str, known: set[str], n: int = N) -> list[str]:
    """The shingles of ``text`` whose hashes are in ``known``."""
    return [s for s in shingles(text, n) if digest(s) in known]


def read(path: Path = SEED_SHINGLES) -> set[str]:
    """The hashes in a shingles file (``#`` lines are comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {x for x in lines if x and not x.startswith("#")}


def render(source: str, text: str, n: int = N) -> Iterable[str]:
    yield f"# sha256[:16] of every normalised {n}-word shingle of {source}"
    yield "# regenerate: python -m tests.shingles SEED (see tests/shingles.py)"
    yield from sorted(hashes(text, n))


if __name__ == "__main__":
    seed = Path(sys.argv[1])
    for line in render(seed.name, seed.read_text(encoding="utf-8")):
        print(line)
