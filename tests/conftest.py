"""Shared fixtures: the shipped graph loaded once per session, paths to test data; the
Hypothesis profiles."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import settings
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

# Hypothesis: random examples locally (new cases every run, failures replayed from
# .hypothesis/), the same examples on every CI run (derandomized, no example database, the
# failing example printed as a reproduce_failure blob). One example takes up to ~0.1 s here;
# the deadline is 50x that, for a slow shared machine running the tests in parallel.
# .ci/run selects "ci" with CSTOGRAPH_HYPOTHESIS_PROFILE=ci; an environment with CI set
# gets it too.
DEADLINE = timedelta(seconds=5)
settings.register_profile("dev", deadline=DEADLINE)
settings.register_profile("ci", deadline=DEADLINE, derandomize=True, database=None, print_blob=True)
settings.load_profile(
    os.environ.get("CSTOGRAPH_HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(scope="session")
def graph() -> Graph:
    from cstograph import load

    return load()
