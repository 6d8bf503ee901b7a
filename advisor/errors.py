"""Typed errors shared by every entry point.

`InputError` is bad input from the user or a file: the CLI maps it to exit code 2 and prints its one-line
message, the GUI shows it at the field. Anything else is an internal error (exit code 1).
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad input. ``field`` names what is wrong (a field, a CSV row and column, a JSON path)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


class NotFoundError(InputError):
    """A name that does not resolve in the catalog; the message lists the closest matches."""
