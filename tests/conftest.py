"""Shared fixtures: the shipped graph loaded once per session, paths to test data."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def graph() -> Graph:
    from cstograph import load

    return load()
