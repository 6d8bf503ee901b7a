"""Input files: only regular files are read.

A FIFO (named pipe), a socket or a character device passed where a file is expected would block
``open``/``read`` until another process writes to it, i.e. forever for a user who typed the wrong path
(or for a hostile feed source). Every reader of a user-named file calls :func:`check_regular_file` first,
so such a path is refused at once with one line naming it.
"""

from __future__ import annotations

import stat
from pathlib import Path

from advisor.errors import InputError


def check_regular_file(path: str | Path, what: str = "file") -> None:
    """InputError unless ``path`` is a regular file (symlinks followed), naming the path and why.

    >>> check_regular_file("/dev/null", "feed file")
    Traceback (most recent call last):
    ...
    advisor.errors.InputError: /dev/null: not a regular file but a device or socket; give a feed file
    """
    p = Path(path)
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        raise InputError("no such file", field=str(p)) from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror or exc}", field=str(p)) from exc
    if stat.S_ISDIR(mode):
        raise InputError(f"is a directory, not a {what}", field=str(p))
    if not stat.S_ISREG(mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device or socket"
        raise InputError(f"not a regular file but {kind}; give a {what}", field=str(p))
