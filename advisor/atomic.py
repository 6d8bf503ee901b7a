"""Write a file so that readers see the old content or the new, never half of it.

The content goes to a temporary file in the target's directory, is flushed to disk, and is renamed over the
target (os.replace is atomic within one file system). On any error the temporary file is removed and the
target is left as it was.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from advisor.errors import InputError


@contextmanager
def atomic_write(path: str | Path, mode: str = "w", **open_kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path`` for writing; on success it replaces ``path``.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(target, encoding="utf-8") as fh:
    ...     _ = fh.write("complete")
    >>> target.read_text(encoding="utf-8")
    'complete'
    """
    target = Path(path)
    # an unwritable target is the user's input (a path), not an internal error: one line naming the path
    if target.is_dir():
        raise InputError("is a directory, not a file", str(target))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror or exc}", str(target)) from exc
    try:
        try:
            with os.fdopen(fd, mode, **open_kwargs) as fh:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):  # the temp file goes below
                raise InputError("disk full; nothing written", str(target)) from exc
            raise
        os.chmod(tmp, 0o644)
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise InputError(f"cannot write here: {exc.strerror or exc}", str(target)) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
