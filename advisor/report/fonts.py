"""Fonts for the PDF: DejaVu Sans (bundled in resources/fonts) with a per-glyph CJK fallback.

DejaVu covers Latin, Greek, Cyrillic and most symbols but no CJK ideographs. Any character DejaVu lacks is set
in the first fallback font that has it (IPAGothic from the Debian package ``fonts-ipafont-gothic``, or another
CJK font found on the machine), so `R&D <GPU> "test" — Ünïcode 日本` prints, and extracts with pypdf, exactly.
User text always goes through :func:`markup` (Paragraphs) or :func:`draw_text` (canvas): never raw into
Paragraph markup (TOOLCHAIN gotcha 4: ``<`` breaks the parser, ``&`` is silently altered).
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from advisor.paths import resources_dir

BODY = "RigSans"
BOLD = "RigSans-Bold"
FALLBACK = "RigCJK"

# Known locations of small CJK TrueType fonts (Debian package in the comment); first found wins.
_CJK_CANDIDATES = (
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",  # fonts-ipafont-gothic
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",  # alternatives link (IPA / Takao)
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # fonts-wqy-microhei
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",  # fonts-droid-fallback
)


def _dejavu(name: str) -> Path:
    bundled = resources_dir() / "fonts" / name
    if bundled.exists():
        return bundled
    return Path("/usr/share/fonts/truetype/dejavu") / name  # a source checkout without resources/fonts


def _find_cjk_font() -> Path | None:
    for candidate in _CJK_CANDIDATES:
        if Path(candidate).exists():
            return Path(candidate)
    fc_match = shutil.which("fc-match")
    if fc_match:  # any other font on the machine that covers Japanese
        try:
            out = subprocess.run(
                [fc_match, "-f", "%{file}", ":lang=ja"],
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out.lower().endswith((".ttf", ".ttc")) and Path(out).exists():
            return Path(out)
    return None


@lru_cache(maxsize=1)
def register_fonts() -> bool:
    """Register the body, bold and fallback fonts once per process; True when a CJK fallback exists."""
    pdfmetrics.registerFont(TTFont(BODY, str(_dejavu("DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(_dejavu("DejaVuSans-Bold.ttf"))))
    # <b> inside Paragraph markup must map to our bold face, not to Helvetica-Bold.
    addMapping(BODY, 0, 0, BODY)
    addMapping(BODY, 1, 0, BOLD)
    addMapping(BODY, 0, 1, BODY)
    addMapping(BODY, 1, 1, BOLD)
    cjk = _find_cjk_font()
    if cjk is None:
        return False
    try:
        pdfmetrics.registerFont(TTFont(FALLBACK, str(cjk), subfontIndex=0))
    except Exception:  # an unusable font file must not stop the report: those glyphs show as boxes
        return False
    return True


@lru_cache(maxsize=4096)
def _has_glyph(font_name: str, char: str) -> bool:
    font = pdfmetrics.getFont(font_name)
    return ord(char) in font.face.charToGlyph  # type: ignore[attr-defined]


def split_runs(text: str, font_name: str = BODY) -> list[tuple[str, str]]:
    """Split text into (font, chunk) runs: `font_name` where it has the glyph, else the CJK fallback.

    >>> register_fonts() and split_runs("a日本b")
    [('RigSans', 'a'), ('RigCJK', '日本'), ('RigSans', 'b')]
    """
    has_fallback = register_fonts()
    runs: list[tuple[str, str]] = []
    for char in text:
        use = font_name
        if has_fallback and not _has_glyph(font_name, char) and _has_glyph(FALLBACK, char):
            use = FALLBACK
        if runs and runs[-1][0] == use:
            runs[-1] = (use, runs[-1][1] + char)
        else:
            runs.append((use, char))
    return runs


def markup(text: object) -> str:
    """Paragraph markup that prints `text` exactly: XML-escaped, with <font> tags around fallback glyphs.

    >>> markup('R&D <GPU>')
    'R&amp;D &lt;GPU&gt;'
    """
    parts = []
    for font, chunk in split_runs(str(text)):
        safe = escape(chunk)
        parts.append(safe if font != FALLBACK else f'<font name="{FALLBACK}">{safe}</font>')
    return "".join(parts)


def draw_text(
    canvas: Canvas, x: float, y: float, text: str, size: float, bold: bool = False, align: str = "left"
) -> float:
    """Draw user text on the canvas at (x, y) [pt] with per-glyph fallback; returns the width drawn [pt]."""
    base = BOLD if bold else BODY
    runs = split_runs(text, base)
    width = sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in runs)
    if align == "right":
        x -= width
    elif align == "center":
        x -= width / 2
    # One text object for all runs: separate drawString calls make pypdf split the text with newlines.
    text_object = canvas.beginText(x, y)
    for font, chunk in runs:
        text_object.setFont(font, size)
        text_object.textOut(chunk)
    canvas.drawText(text_object)
    return width
