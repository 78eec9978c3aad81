"""The whole COW IGO v3 state-year table: import it, then ask members and metrics beside it.

Usage: ``python benchmarks/cow.py [STATE_YEAR.csv.gz]`` (default: the shared copy at
``/work/shared/data/cow-igo-v3/state_year_formatv3.csv.gz``). Each step runs as its own
process under ``/usr/bin/time -v``; prints wall seconds and peak RSS. No SHACL validation of
the whole import in the timed path (the importer builds the nodes by construction; the tests
validate the excerpt).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT = Path("/work/shared/data/cow-igo-v3/state_year_formatv3.csv.gz")


def timed(args: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) and standard output of ``cstograph ARGS``."""
    done = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-m", "cstograph", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    assert wall and rss, done.stderr
    seconds = int(wall[1] or 0) * 3600 + int(wall[2]) * 60 + float(wall[3])
    return seconds, int(rss[1]), done.stdout


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    folder = source.parent
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cow.ttl"
        steps = [
            [
                *("import-cow-igo", str(source), "--out", str(out)),
                *(
                    "--igos",
                    str(folder / "igo_list.csv"),
                    "--states",
                    str(folder / "states2016.csv"),
                ),
            ],
            ["members", "CSTO", "--year", "2010", "--data", str(out)],
            ["metrics", "--from", "2000", "--to", "2014", "--data", str(out)],
        ]
        for args in steps:
            seconds, rss, stdout = timed(args)
            first = stdout.splitlines()[0] if stdout else ""
            print(f"{args[0]:15} {seconds:6.2f} s  {rss / 1024:6.1f} MiB  {first[:60]}")


if __name__ == "__main__":
    main()
