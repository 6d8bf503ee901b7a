"""CSV cells a spreadsheet will not run: the OWASP "CSV injection" rule.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a formula by
Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)``, ``+cmd|...``). Feed text (names, vendors,
URLs) comes from strangers, so every CSV we write prefixes such a cell with a single quote, which the
spreadsheet shows but does not evaluate. Plain numbers (``-3.5``, ``+1``) are left alone: they are data.
Reading our own CSV back (``prices import``) removes the quote again, so an export round-trips.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-3.5"), neutralise("RTX 5090")
    ('\\'=HYPERLINK("http://x")', '-3.5', 'RTX 5090')
    >>> restore(neutralise("@SUM(A1)"))
    '@SUM(A1)'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# A number as data or as a table shows it (-3.5, +1e3, -$1,200.50, -12 %): nothing a spreadsheet can run.
_NUMBER = re.compile(r"[+-]?[$€£]?(\d[\d,]*)?\.?\d+([eE][+-]?\d+)?\s*%?")


def _is_number(text: str) -> bool:
    return _NUMBER.fullmatch(text) is not None


def neutralise(cell: object) -> object:
    """``cell`` with a leading ``'`` when a spreadsheet would evaluate it; other values unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES) and not _is_number(cell):
        return "'" + cell
    return cell


def neutralise_row(row: Iterable[object]) -> list[object]:
    return [neutralise(c) for c in row]


def restore(cell: str) -> str:
    """Undo :func:`neutralise` on a cell read from CSV (only a quote in front of a formula prefix)."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES) and not _is_number(cell[1:]):
        return cell[1:]
    return cell
