"""``--out`` never destroys what it replaces: regular files are replaced atomically, a link's
target is replaced and the link kept, devices, FIFOs and ``/dev/stdout`` are written through,
directories and sockets are refused with one line; ``report --out DIR`` is built aside and
swapped in whole. The tests run as root here, so a rename over ``/dev/full`` would succeed:
they check the device is still a device afterwards."""

from __future__ import annotations

import errno
import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from cstograph.cli import cli
from cstograph.errors import InputError
from cstograph.io.files import atomic_path, resolve_output, write_text_atomic

SRC = str(Path(__file__).resolve().parent.parent / "src")


def run_cli(*args: str, stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run(
        [sys.executable, "-m", "cstograph", *args],
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=300,
    )


@pytest.fixture(scope="module")
def exported() -> bytes:
    """``cstograph export --format nt`` as printed on standard output."""
    done = run_cli("export", "--format", "nt")
    assert done.returncode == 0, done.stderr
    return done.stdout


def synth(out: Path | str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["synth", "--relations", "5", "--out", str(out)])
    return result.exit_code, result.output


def test_export_to_dev_stdout_prints_the_export(exported):
    done = run_cli("export", "--format", "nt", "--out", "/dev/stdout")
    assert done.returncode == 0
    assert done.stdout == exported
    triples = exported.count(b"\n")
    assert done.stderr.decode() == f"Wrote /dev/stdout: {triples} triples.\n"
    assert os.path.islink("/dev/stdout")


def test_dev_stdout_redirected_to_a_file_is_written_through_not_replaced(tmp_path):
    target = tmp_path / "redirected.ttl"
    with target.open("wb") as stream:
        stream.write(b"# before\n")
        stream.flush()
        inode = os.fstat(stream.fileno()).st_ino
        done = run_cli("synth", "--relations", "3", "--out", "/dev/stdout", stdout=stream)
    assert done.returncode == 0, done.stderr
    assert target.stat().st_ino == inode  # the shell's file, not a new one renamed over it
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# before\n# cstograph synthetic graph: 3 time-bounded relations")
    assert text.endswith("bytes.\n")  # synth's own line comes after the graph


def test_out_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.ttl"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.ttl"
    link.symlink_to(real.name)
    code, output = synth(link)
    assert code == 0, output
    assert link.is_symlink() and os.readlink(link) == "real.ttl"
    assert real.read_text(encoding="utf-8").startswith("# cstograph synthetic graph")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the file keeps its permissions
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.ttl", "real.ttl"]


def test_a_chain_of_links_and_a_dangling_link(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a").symlink_to("sub/b")
    (tmp_path / "sub" / "b").symlink_to("c.ttl")  # dangling: c.ttl is created in sub/
    code, output = synth(tmp_path / "a")
    assert code == 0, output
    assert (tmp_path / "a").is_symlink() and (tmp_path / "sub" / "b").is_symlink()
    assert (tmp_path / "sub" / "c.ttl").read_text(encoding="utf-8").startswith("# cstograph")


def test_out_to_a_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    code, output = synth(fifo)
    reader.join(30)
    assert not reader.is_alive()
    assert code == 0, output
    assert received[0].startswith(b"# cstograph synthetic graph: 5 time-bounded relations")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_out_to_dev_full_says_no_space_and_keeps_the_device():
    before = os.stat("/dev/full")
    result = CliRunner().invoke(cli, ["export", "--format", "nt", "--out", "/dev/full"])
    assert (result.exit_code, result.output) == (
        2,
        "Error: /dev/full: cannot write: No space left on device\n",
    )
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_out_to_dev_null_keeps_the_device():
    code, output = synth("/dev/null")
    assert code == 0, output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_out_to_a_socket_is_refused(tmp_path):
    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        code, output = synth(path)
    assert (code, output) == (2, f"Error: {path}: cannot write: it is a socket\n")
    assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_out_to_a_directory_through_a_link_is_refused(tmp_path):
    (tmp_path / "dir").mkdir()
    (tmp_path / "link").symlink_to("dir")
    # click refuses a directory it can see; a link to one gets the same one line from us
    with pytest.raises(InputError) as info:
        write_text_atomic(tmp_path / "link", "x")
    assert str(info.value) == f"{tmp_path / 'link'}: cannot write: it is a directory"
    assert (tmp_path / "link").is_symlink() and not list((tmp_path / "dir").iterdir())


def test_missing_directory_is_one_line(tmp_path):
    code, output = synth(tmp_path / "no" / "x.ttl")
    assert (code, output) == (
        2,
        f"Error: {tmp_path / 'no' / 'x.ttl'}: cannot write: No such file or directory\n",
    )


def test_a_failing_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.ttl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(InputError) as info, atomic_path(target) as temp:
        temp.write_text("half", encoding="utf-8")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert str(info.value) == f"{target}: cannot write: No space left on device"
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


@pytest.mark.parametrize(
    "path,mode",
    [("/dev/null", "through"), ("/dev/stdout", "through"), ("/dev/fd/2", "through")],
)
def test_resolve_output_modes(path, mode):
    assert resolve_output(path)[0] == mode


# -- report --out DIR: built aside, swapped in ------------------------------------------------


@pytest.fixture
def fast_report(monkeypatch, graph):
    """build_report with the validation accepted and every diagram a small text file;
    ``fail_on`` names a diagram whose drawing fails with a full disk."""
    from cstograph import report as report_module
    from cstograph import validation
    from cstograph.viz import figures as plot

    class Conforms:
        conforms = True

    monkeypatch.setattr(validation, "validate_graph", lambda graph: Conforms())
    failing: list[str] = []

    def draw(kind, history, path, **kwargs):
        if Path(path).name in failing:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return write_text_atomic(path, kind)

    monkeypatch.setattr(plot, "draw", draw)

    def build(out: Path, fail_on: str | None = None) -> list[Path]:
        failing[:] = [fail_on] if fail_on else []
        return report_module.build_report(out, start=2008, end=2009, graph=graph)

    return build


def tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in path.rglob("*") if p.is_file()}


def test_report_failing_half_way_leaves_the_old_directory(tmp_path, fast_report):
    out = tmp_path / "out"
    fast_report(out)
    before = tree(out)
    assert "snapshots/2009.graphml" in before and "grid.png" in before
    with pytest.raises(InputError) as info:
        fast_report(out, fail_on="grid.png")
    assert str(info.value) == f"{out}: cannot write: No space left on device"
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing left aside


def test_report_replaces_a_previous_report_whole(tmp_path, fast_report):
    out = tmp_path / "out"
    (out / "snapshots").mkdir(parents=True)
    (out / "snapshots" / "1999.graphml").write_text("old", encoding="utf-8")
    (out / "index.html").write_text("old", encoding="utf-8")
    written = fast_report(out)
    assert {p.relative_to(out).as_posix() for p in written} == set(tree(out))
    assert "snapshots/1999.graphml" not in tree(out)
    assert (out / "index.html").read_text(encoding="utf-8") != "old"


def test_report_into_a_link_replaces_its_target(tmp_path, fast_report):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to("real")
    fast_report(tmp_path / "link")
    assert (tmp_path / "link").is_symlink()
    assert (tmp_path / "real" / "index.html").is_file()


def test_report_refuses_a_directory_with_other_files(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {out}: holds files a report does not write (notes.txt); "
        "write the report into a new or empty directory\n"
    )
    assert tree(out) == {"notes.txt": b"keep me"}


def test_report_refuses_the_current_directory(tmp_path, fast_report, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as info:
        fast_report(Path("."))
    assert str(info.value) == ".: cannot replace the current directory or one above it"
