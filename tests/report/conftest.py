"""Report test helpers: read a PDF's text back with pypdf, exactly as a reader's copy-paste would."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader


def pdf_pages_text(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


@pytest.fixture
def read_pdf():
    return pdf_pages_text
