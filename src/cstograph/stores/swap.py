"""All-or-nothing rebuilds of a store directory: lock it, build the new version aside,
swap it in with one atomic rename, and recover from a swap cut short.

For a directory ``DIR``, a load holds the lock file ``.DIR.lock`` beside it, builds into
``.DIR.new-PID`` and then exchanges that with ``DIR`` by one ``renameat2(RENAME_EXCHANGE)``
(Linux), so readers see the old store or the new one and never a mix. Where there is no
atomic exchange, two renames go through ``.DIR.old-PID``, and :func:`recover` puts it back
if the process died in between. A killed load leaves only scratch directories, which the
next load removes. Nothing here knows what the directory holds: the backend passes the
build step (:mod:`cstograph.stores.oxigraph` passes pyoxigraph's bulk loader).
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from cstograph.errors import StoreError

__all__ = ["build_aside", "exchange", "locked", "present", "recover", "siblings"]

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def siblings(path: Path, tag: str) -> list[Path]:
    """Scratch directories of ``path`` tagged ``new`` (a build) or ``old`` (a half swap)."""
    return sorted(path.parent.glob(f".{path.name}.{tag}-*"))


def present(path: Path) -> bool:
    """Whether there is a store at ``path``, or one that :func:`recover` would put back."""
    return path.exists() or bool(siblings(path, "old"))


def recover(path: Path) -> None:
    """Undo a half-done two-rename swap (only on systems without ``RENAME_EXCHANGE``)."""
    if path.exists():
        return
    old = siblings(path, "old")
    if old:
        with contextlib.suppress(OSError):
            os.rename(old[-1], path)


@contextlib.contextmanager
def locked(path: Path, name: str) -> Iterator[None]:
    """Hold the load lock of ``path`` (``name`` it in the error), then recover a half swap
    and remove what killed loads left.

    Raises
    ------
    StoreError
        Another process holds the lock.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.parent / f".{path.name}.lock"
    with open(lock_path, "a+b") as lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise StoreError(f"{name}: another load into it is running") from None
        try:
            recover(path)
            for stale in siblings(path, "new") + siblings(path, "old"):
                shutil.rmtree(stale, ignore_errors=True)
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def exchange(a: Path, b: Path) -> None:
    """Atomically swap two directories (Linux ``renameat2``); two renames elsewhere."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = getattr(libc, "renameat2", None)
        if renameat2 is not None:
            renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p] * 2 + [ctypes.c_uint]
            if (
                renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
                == 0
            ):
                return
    # no atomic exchange: b -> .old, a -> b; recover() puts .old back if killed in between
    old = b.parent / f".{b.name}.old-{os.getpid()}"
    os.rename(b, old)
    os.rename(a, b)
    os.rename(old, a)


def build_aside(target: Path, build: Callable[[Path], None]) -> None:
    """Run ``build(aside)`` to make the new version of ``target`` in a sibling directory,
    then put it in place of ``target`` (exchanged when ``target`` exists) in one rename.

    Call it holding :func:`locked`. The build runs in a thread: a bulk load is one long call
    into native code, and Ctrl-C must not wait for it to return. Whatever ``build`` raises
    is raised here, and ``target`` is left as it was.
    """
    aside = target.parent / f".{target.name}.new-{os.getpid()}"
    failure: list[BaseException] = []

    def run() -> None:
        try:
            build(aside)
        except BaseException as exc:
            failure.append(exc)

    worker = threading.Thread(target=run, name="cstograph-load", daemon=True)
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
        if failure:
            raise failure[0]
        if target.exists():
            exchange(aside, target)  # aside now holds the previous store
        else:
            os.rename(aside, target)
    finally:
        # after an interrupt the thread may still be writing: removal is best effort, and
        # the next load removes whatever is left
        shutil.rmtree(aside, ignore_errors=True)
