"""Cold start of a temporal query, as a ratio to importing rdflib, in the same run.

Runs ``cstograph members CSTO --year 2007`` and ``python -c "import rdflib"`` alternately,
each in a fresh process, and prints the medians and their ratio. Target: at most 3x (the project's start-up rule).

    python benchmarks/cold_members.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

MEMBERS = [sys.executable, "-m", "cstograph", "members", "CSTO", "--year", "2007"]
RDFLIB = [sys.executable, "-c", "import rdflib"]
TARGET = 3.0


def wall(command: list[str]) -> float:
    begin = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - begin


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    wall(MEMBERS)  # warm the file-system cache and .pyc files once
    members, rdflib = [], []
    for _ in range(runs):
        members.append(wall(MEMBERS))
        rdflib.append(wall(RDFLIB))
    m, r = statistics.median(members), statistics.median(rdflib)
    ratio = m / r
    print(f"cold `cstograph members CSTO --year 2007`: median {m * 1000:.0f} ms of {runs}")
    print(f"`python -c 'import rdflib'`:               median {r * 1000:.0f} ms of {runs}")
    print(f"ratio {ratio:.2f}x (target <= {TARGET:.0f}x): {'met' if ratio <= TARGET else 'MISSED'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
