"""Writing files all-or-nothing: into a temporary file beside the target, then a rename.

A reader never sees a half-written file, and a failure (or Ctrl-C) leaves the previous file,
if any, as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from cstograph.errors import InputError

__all__ = ["atomic_path", "write_atomic", "write_text_atomic"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(path: Path | str, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path in ``path``'s directory; on success it becomes ``path``
    (with the usual permissions, not mkstemp's private ones), on failure it is removed.

    Raises
    ------
    InputError
        The directory does not exist or cannot be written.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=directory)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def write_atomic(path: Path | str, write: Callable[[BinaryIO], object]) -> Path:
    """Call ``write`` with a binary stream, all-or-nothing into ``path``.

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
    """Write UTF-8 text all-or-nothing into ``path``."""
    return write_atomic(path, lambda stream: stream.write(text.encode("utf-8")))
