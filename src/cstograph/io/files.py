"""Writing and reading the user's files without destroying anything.

Every output cstograph writes (``--out FILE``, a synthetic graph, a diagram, an imported CSV)
goes through :func:`atomic_path`, which looks at what the path names first:

- a regular file, or nothing yet: the output is written into a temporary file beside it and
  renamed over it when complete, so a reader never sees a half-written file and a failure
  (a full disk, Ctrl-C) leaves the previous file as it was; an existing file keeps its
  permissions;
- a symbolic link: the same for the file it points to; the link stays a link;
- a character device (``/dev/null``, ``/dev/full``, a terminal), a FIFO, or an open file
  named through ``/dev/stdout``, ``/dev/fd/N`` or ``/proc/self/fd/N``: the complete output is
  written through it (never renamed over it, which would replace the device node or the link
  with a regular file);
- anything else (a directory, a socket, a block device) is refused with one line.

A directory of outputs (``cstograph report --out DIR``) is built aside and swapped in whole by
:func:`directory_aside`.

:func:`read_input` and :func:`check_input` accept only regular files as input, so that a FIFO
or ``/dev/zero`` given as a data file is refused instead of hanging or filling the memory.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Literal

from cstograph.errors import DataFileError, InputError

__all__ = [
    "atomic_path",
    "check_input",
    "directory_aside",
    "read_input",
    "write_atomic",
    "write_text_atomic",
]

#: How a path is written: renamed over (``replace``), created (``new``), written through
#: (``through``: a device, a FIFO, an open file descriptor).
Mode = Literal["new", "replace", "through"]

_FD_DIRECTORY = re.compile(r"^/proc/[^/]+(?:/task/[^/]+)?/fd$")
_MAX_LINKS = 40
_CHUNK = 1 << 20


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    return "not a regular file"


def _cannot(path: Path | str, exc: OSError) -> InputError:
    return InputError(f"{path}: cannot write: {exc.strerror or exc}")


def resolve_output(path: Path | str) -> tuple[Mode, Path, int | None]:
    """What writing ``path`` means: its mode, the real path to write, and for an open file
    descriptor of this process (``/dev/stdout``) that descriptor.

    Links are followed one at a time, so a link through ``/proc/self/fd`` (where the shell's
    redirection lives) is seen as such rather than as the file behind it.

    Raises
    ------
    InputError
        The path names a directory, a socket or a block device, or has too many links.

    Examples
    --------
    >>> resolve_output("/dev/null")[0]
    'through'
    """
    original = path
    current = Path(os.path.abspath(path))
    for _ in range(_MAX_LINKS):
        # the directories on the way may be links too (/dev/fd -> /proc/self/fd)
        current = Path(os.path.realpath(current.parent)) / current.name
        if _FD_DIRECTORY.match(str(current.parent)):
            try:
                info = os.stat(current)
            except OSError as exc:
                raise _cannot(original, exc) from None
            if stat.S_ISDIR(info.st_mode):
                raise InputError(f"{original}: cannot write: it is {_kind(info.st_mode)}")
            pid = current.parent.parts[2]
            own = pid in ("self", "thread-self", str(os.getpid()))
            if own and current.name.isdigit():
                return "through", current, int(current.name)
            return "through", current, None
        try:
            info = os.lstat(current)
        except FileNotFoundError:
            return "new", current, None
        except OSError as exc:
            raise _cannot(original, exc) from None
        if stat.S_ISLNK(info.st_mode):
            current = current.parent / os.readlink(current)
            continue
        if stat.S_ISREG(info.st_mode):
            return "replace", current, None
        if stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
            return "through", current, None
        raise InputError(f"{original}: cannot write: it is {_kind(info.st_mode)}")
    raise InputError(f"{original}: cannot write: too many levels of symbolic links")


def _write_through(original: Path | str, target: Path, fd: int | None, source: Path) -> None:
    """Copy ``source`` into the device, FIFO or open descriptor ``target``."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    try:
        out = os.dup(fd) if fd is not None else os.open(target, os.O_WRONLY | os.O_CLOEXEC)
    except OSError as exc:
        raise _cannot(original, exc) from None
    try:
        with source.open("rb") as data:
            while chunk := data.read(_CHUNK):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(out, view) :]
    except OSError as exc:
        raise _cannot(original, exc) from None
    finally:
        os.close(out)


@contextmanager
def atomic_path(path: Path | str, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path to write the output into; on success it becomes ``path``
    (see the module docstring for links, devices and FIFOs), on failure it is removed and
    ``path`` is as it was.

    Raises
    ------
    InputError
        ``path`` is a directory, a socket or a block device; its directory does not exist
        or cannot be written; or writing failed (a full disk: "No space left on device").
    """
    mode, target, fd = resolve_output(path)
    directory = target.parent if mode != "through" else Path(tempfile.gettempdir())
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=directory)
    except OSError as exc:
        raise _cannot(path, exc) from None
    os.close(handle)
    temp = Path(name)
    try:
        try:
            yield temp
        except OSError as exc:
            raise _cannot(path, exc) from None
        if mode == "through":
            _write_through(path, target, fd, temp)
            return
        try:
            if mode == "replace":
                info = os.stat(target)
                os.chmod(temp, stat.S_IMODE(info.st_mode))
                if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
                    with contextlib.suppress(OSError):
                        os.chown(temp, info.st_uid, info.st_gid)
            else:
                os.chmod(temp, 0o666 & ~_umask())
            # the target may have become something else meanwhile: never rename over that
            if mode == "replace" or os.path.lexists(target):
                again = os.lstat(target)
                if not stat.S_ISREG(again.st_mode):
                    raise InputError(f"{path}: cannot write: it is {_kind(again.st_mode)}")
            os.replace(temp, target)
        except OSError as exc:
            raise _cannot(path, exc) from None
    finally:
        temp.unlink(missing_ok=True)


def write_atomic(path: Path | str, write: Callable[[BinaryIO], object]) -> Path:
    """Call ``write`` with a binary stream whose bytes become ``path`` (by
    :func:`atomic_path`: all or nothing for files, written through for devices and pipes).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_atomic(target, lambda s: s.write(b"done")).read_bytes()
    b'done'
    """
    with atomic_path(path) as temp, temp.open("wb") as stream:
        write(stream)
    return Path(path)


def write_text_atomic(path: Path | str, text: str) -> Path:
    """Write UTF-8 text into ``path`` by :func:`write_atomic`."""
    return write_atomic(path, lambda stream: stream.write(text.encode("utf-8")))


# -- a directory of outputs ----------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> None:
    """Swap two directories atomically (Linux ``renameat2(RENAME_EXCHANGE)``); elsewhere by
    three renames."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = getattr(libc, "renameat2", None)
        if renameat2 is not None:
            renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p] * 2 + [ctypes.c_uint]
            done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
            if done == 0:
                return
    old = b.parent / f".{b.name}.old-{os.getpid()}"
    os.rename(b, old)
    os.rename(a, b)
    os.rename(old, a)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _remove_stale(target: Path) -> None:
    for tag in ("new", "old"):
        for stale in target.parent.glob(f".{target.name}.{tag}-*"):
            pid = stale.name.rsplit("-", 1)[-1]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(stale, ignore_errors=True)


@contextmanager
def directory_aside(
    path: Path | str, *, replaceable: Callable[[Path], str | None] | None = None
) -> Iterator[Path]:
    """Yield an empty directory beside ``path`` to build its new contents in; on success it
    replaces ``path`` in one atomic swap (the old one is removed), on failure it is removed
    and ``path`` is as it was. A link to a directory has its target replaced.

    Parameters
    ----------
    replaceable
        Called with an existing ``path`` before anything is built: a reason not to replace
        it (say, it holds files that are not outputs), or ``None``.

    Raises
    ------
    InputError
        ``path`` is not a directory, is or contains the current directory, is refused by
        ``replaceable``, or cannot be written.
    """
    target = Path(os.path.realpath(path))
    if os.path.lexists(target) and not target.is_dir():
        raise InputError(f"{path}: not a directory")
    exists = target.is_dir()
    if exists:
        cwd = Path.cwd().resolve()
        if cwd == target or target in cwd.parents:
            raise InputError(f"{path}: cannot replace the current directory or one above it")
        why = replaceable(target) if replaceable else None
        if why:
            raise InputError(f"{path}: {why}")
    aside = target.parent / f".{target.name}.new-{os.getpid()}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target)
        shutil.rmtree(aside, ignore_errors=True)
        aside.mkdir()
    except OSError as exc:
        raise _cannot(path, exc) from None
    try:
        try:
            yield aside
        except OSError as exc:
            raise _cannot(path, exc) from None
        try:
            if exists:
                exchange(aside, target)  # aside now holds the previous directory
            else:
                os.rename(aside, target)
        except OSError as exc:
            raise _cannot(path, exc) from None
    finally:
        shutil.rmtree(aside, ignore_errors=True)


# -- reading inputs ----------------------------------------------------------------------------


@contextmanager
def _opened(path: Path | str) -> Iterator[int]:
    """A descriptor on ``path`` if it is a regular file (opened without blocking, so a FIFO
    with no writer does not hang), else :class:`DataFileError`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise DataFileError(str(path), "no such file") from None
    except OSError as exc:
        raise DataFileError(str(path), f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DataFileError(str(path), f"not a regular file ({_kind(info.st_mode)})")
        yield fd
    finally:
        os.close(fd)


def check_input(path: Path | str) -> None:
    """Raise :class:`DataFileError` unless ``path`` is a regular file that can be opened.

    Examples
    --------
    >>> check_input("/dev/zero")
    Traceback (most recent call last):
    ...
    cstograph.errors.DataFileError: /dev/zero: not a regular file (a character device)
    """
    with _opened(path):
        pass


def read_input(path: Path | str) -> bytes:
    """The bytes of ``path``, a regular file (see :func:`check_input`)."""
    with _opened(path) as fd:
        os.set_blocking(fd, True)
        chunks = []
        try:
            while chunk := os.read(fd, _CHUNK):
                chunks.append(chunk)
        except OSError as exc:
            raise DataFileError(str(path), f"cannot read: {exc.strerror or exc}") from None
        return b"".join(chunks)
