"""User text prints exactly: escaping for Paragraph markup and a per-script font fallback (no boxes)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reportlab.platypus import Paragraph

from advisor.report import build_report
from advisor.report.fonts import (
    BODY,
    FALLBACK,
    HAN,
    HANGUL,
    fit_width,
    markup,
    missing_characters,
    missing_note,
    register_fonts,
    split_runs,
    text_width,
    visual,
)
from advisor.report.styles import BODY_STYLE
from tests.report.sample import UNICODE_NAME, SampleScenario, sample_recommendation

# What users type: Japanese (with kana), Korean, simplified Chinese, Hindi, Arabic, Hebrew and emoji.
SCRIPTS = {
    "japanese": "日本語のチーム",
    "korean": "한국어 팀",
    "chinese": "中文测试语言",
    "hindi": "हिन्दी परीक्षण",
    "arabic": "اختبار الخادم",
    "hebrew": "שלום עולם",
    "emoji": "rig 🚀✅",
}


def test_cjk_fallback_font_is_available() -> None:
    assert register_fonts() is True  # Debian package fonts-ipafont-gothic


def test_runs_switch_only_for_missing_glyphs() -> None:
    # Han without kana is set as Chinese; the Latin part stays in the body font
    assert split_runs(UNICODE_NAME) == [(BODY, 'R&D <GPU> "test" — Ünïcode '), (HAN, "日本")]
    # with kana the same ideographs are Japanese
    assert split_runs("日本のGPU") == [(FALLBACK, "日本の"), (BODY, "GPU")]
    assert split_runs("한국") == [(HANGUL, "한국")]


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_every_script_has_a_font(script: str) -> None:
    text = SCRIPTS[script]
    assert missing_characters(text) == ""
    assert missing_note(text) == ""
    fonts = {font for font, chunk in split_runs(visual(text)) if chunk.strip()}
    assert fonts and (fonts != {BODY} or script == "hebrew")  # DejaVu itself covers Hebrew


def test_character_without_any_font_prints_a_question_mark_and_a_note() -> None:
    unassigned = "\U000e0100"  # a variation selector no installed font draws
    assert split_runs(f"a{unassigned}b") == [(BODY, "a?b")]
    assert "U+E0100" in missing_note(f"a{unassigned}")


def test_arabic_is_joined_and_in_visual_order() -> None:
    shown = visual("اختبار")
    assert shown != "اختبار"  # presentation (joined) forms, reversed for left-to-right drawing
    assert all(0xFE70 <= ord(c) <= 0xFEFF for c in shown)
    assert visual("GPU 2x") == "GPU 2x"


def test_markup_escapes_and_parses() -> None:
    text = markup(UNICODE_NAME)
    assert text == f'R&amp;D &lt;GPU&gt; "test" — Ünïcode <font name="{HAN}">日本</font>'
    Paragraph(text, BODY_STYLE)  # parses without the paraparser syntax error raw "<" would cause


def test_fit_width_measures_wide_glyphs() -> None:
    latin, cjk = "a" * 60, "日本語" * 20
    assert text_width(cjk, 8) == pytest.approx(60 * 8)  # an ideograph is one em wide
    assert text_width(cjk, 8) > 1.5 * text_width(latin, 8)  # same length, far wider
    cut = fit_width(cjk, 150, 8)
    assert cut.endswith("…") and text_width(cut, 8) <= 150
    assert text_width(fit_width(cjk + "x", 150, 8) + "x", 8) > 150 * 0.9  # it uses the room it has
    assert fit_width("short", 150, 8) == "short"


def test_every_script_prints_with_embedded_fonts(tmp_path: Path) -> None:
    """A scenario name in six scripts plus emoji: every font embedded, the page renders, nothing is '?'."""
    name = " ".join(SCRIPTS.values())
    out = build_report(
        sample_recommendation(name),
        SampleScenario(name, SCRIPTS["hebrew"]),
        tmp_path / "scripts.pdf",
        generated=dt.date(2026, 11, 2),
    )
    listing = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    embedded = {re.sub(r"^[A-Z]{6}\+", "", row[0]): row[-5] for row in rows}
    for font in (
        "IPAGothic",
        "NanumGothic",
        "DroidSansFallback",
        "NotoSansDevanagari",
        "NotoSansArabic",
        "Symbola",
    ):
        assert any(key.startswith(font) for key in embedded), (font, listing)
    assert set(embedded.values()) == {"yes"}, listing  # every font embedded, no Helvetica reference
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(out), str(tmp_path / "p")], check=True
        )
        assert (tmp_path / "p-1.png").stat().st_size > 1000
