"""User text prints exactly: escaping for Paragraph markup and per-glyph CJK fallback."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from advisor.report.fonts import BODY, FALLBACK, markup, register_fonts, split_runs
from advisor.report.styles import BODY_STYLE
from tests.report.sample import UNICODE_NAME


def test_cjk_fallback_font_is_available() -> None:
    assert register_fonts() is True  # Debian package fonts-ipafont-gothic


def test_runs_switch_only_for_missing_glyphs() -> None:
    assert split_runs(UNICODE_NAME) == [(BODY, 'R&D <GPU> "test" — Ünïcode '), (FALLBACK, "日本")]


def test_markup_escapes_and_parses() -> None:
    text = markup(UNICODE_NAME)
    assert text == f'R&amp;D &lt;GPU&gt; "test" — Ünïcode <font name="{FALLBACK}">日本</font>'
    Paragraph(text, BODY_STYLE)  # parses without the paraparser syntax error raw "<" would cause
