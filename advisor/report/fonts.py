"""Fonts for the PDF: DejaVu Sans (bundled in resources/fonts) with a per-script fallback chain.

DejaVu covers Latin, Greek, Cyrillic, Hebrew, basic Arabic and most symbols. Any character DejaVu lacks is set in
a fallback chosen by its script (from the character's Unicode name):

- Devanagari, Bengali, Tamil, Thai, Arabic, Hebrew, ... : Noto Sans <Script> (Debian ``fonts-noto-core``);
- Japanese (kana, and Han in a text with kana): IPAGothic (``fonts-ipafont-gothic``);
- Chinese Han: Droid Sans Fallback (``fonts-droid-fallback``); Korean Hangul: NanumGothic (``fonts-nanum``);
- emoji and other symbols: Symbola (``fonts-symbola``, monochrome outlines), then Noto Sans Symbols.

reportlab embeds TrueType outlines only: the Noto CJK fonts Debian ships (``fonts-noto-cjk``) are CFF-based .ttc
files that reportlab rejects ("postscript outlines are not supported"), and the colour emoji font is a bitmap font,
hence the TrueType fonts above. Fonts load lazily, when a text first needs them. scripts/install.sh installs them.

Complex scripts (right-to-left order, Arabic joining, Indic shaping) are handled in advisor.report.shaping. A character no installed font has is replaced by '?', and
:func:`missing_note` says which, instead of printing a box.

User text always goes through :func:`markup` (Paragraphs) or :func:`draw_text` (canvas): never raw into Paragraph
markup (TOOLCHAIN gotcha 4: ``<`` breaks the parser, ``&`` is silently altered).
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from advisor.paths import resources_dir
from advisor.report.shaping import SHAPING, limit_paragraph_shaping, shapes, visual

BODY = "RigSans"
BOLD = "RigSans-Bold"
FALLBACK = "RigCJK"  # IPAGothic: Japanese
HAN = "RigHan"  # Droid Sans Fallback: Chinese
HANGUL = "RigHangul"  # NanumGothic: Korean
MISSING = "?"

_NOTO = Path("/usr/share/fonts/truetype/noto")
_TT = Path("/usr/share/fonts/truetype")
# font name -> candidate files (regular, bold); the first file that exists is used
_NAMED: dict[str, tuple[tuple[Path, ...], tuple[Path, ...]]] = {
    FALLBACK: (
        (Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"), _TT / "fonts-japanese-gothic.ttf"),
        (),
    ),
    HAN: ((_TT / "droid/DroidSansFallbackFull.ttf", _TT / "wqy/wqy-microhei.ttc"), ()),
    HANGUL: ((_TT / "nanum/NanumGothic.ttf",), (_TT / "nanum/NanumGothicBold.ttf",)),
    "RigSymbola": ((_TT / "ancient-scripts/Symbola_hint.ttf", _TT / "ancient-scripts/Symbola.ttf"), ()),
    "RigSymbols2": ((_NOTO / "NotoSansSymbols2-Regular.ttf",), ()),
    "RigSymbols": ((_NOTO / "NotoSansSymbols-Regular.ttf",), (_NOTO / "NotoSansSymbols-Bold.ttf",)),
    "RigMath": ((_NOTO / "NotoSansMath-Regular.ttf",), ()),
}
_LAST_RESORT = ("RigSymbola", "RigSymbols2", "RigSymbols", "RigMath", HAN, FALLBACK, HANGUL)
# characters that select a glyph form or join emoji: drawn by nothing, so dropped rather than boxed
_INVISIBLE = {0x200D, 0xFE0E, 0xFE0F, 0x20E3} | set(range(0xE0020, 0xE0080))


def _dejavu(name: str) -> Path:
    bundled = resources_dir() / "fonts" / name
    if bundled.exists():
        return bundled
    return Path("/usr/share/fonts/truetype/dejavu") / name  # a source checkout without resources/fonts


@lru_cache(maxsize=1)
def register_fonts() -> bool:
    """Register the body and bold fonts once per process; True when the Japanese fallback exists."""
    # shapable: a Paragraph shapes only when its style's font is; _shape_script_words then limits it to script runs
    pdfmetrics.registerFont(TTFont(BODY, str(_dejavu("DejaVuSans.ttf")), shapable=SHAPING))
    pdfmetrics.registerFont(TTFont(BOLD, str(_dejavu("DejaVuSans-Bold.ttf")), shapable=SHAPING))
    if SHAPING:
        limit_paragraph_shaping()
    # <b> inside Paragraph markup must map to our bold face, not to Helvetica-Bold.
    addMapping(BODY, 0, 0, BODY)
    addMapping(BODY, 1, 0, BOLD)
    addMapping(BODY, 0, 1, BODY)
    addMapping(BODY, 1, 1, BOLD)
    return _load(FALLBACK, False) is not None


def _candidates(name: str, bold: bool) -> tuple[Path, ...]:
    if name in _NAMED:
        regular, heavy = _NAMED[name]
        return (heavy + regular) if bold else regular
    stem = name.removeprefix("Rig-")  # a Noto script font: Rig-NotoSansDevanagari
    files = (_NOTO / f"{stem}-Regular.ttf", resources_dir() / "fonts" / f"{stem}-Regular.ttf")
    return ((_NOTO / f"{stem}-Bold.ttf",) + files) if bold else files


@cache
def _load(name: str, bold: bool) -> str | None:
    """Register fallback `name` (bold face if it has one) on first use; its registered name, or None."""
    registered = f"{name}-Bold" if bold else name
    for path in _candidates(name, bold):
        if not path.exists():
            continue
        try:
            pdfmetrics.registerFont(TTFont(registered, str(path), shapable=shapes(name)))
        except Exception:  # an unusable (e.g. CFF-outline) file: try the next candidate
            continue
        return registered
    return None if not bold else _load(name, False)


@lru_cache(maxsize=8192)
def _has_glyph(font_name: str, char: str) -> bool:
    font = pdfmetrics.getFont(font_name)
    return ord(char) in font.face.charToGlyph  # type: ignore[attr-defined]


def _script_fonts(char: str, japanese: bool) -> tuple[str, ...]:
    """Fallback fonts to try for `char`, best first, from the script in its Unicode name."""
    label = unicodedata.name(char, "")
    if label.startswith(("HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA")):
        return (FALLBACK, HAN)
    if label.startswith(("HANGUL", "HALFWIDTH HANGUL")):
        return (HANGUL,)
    if label.startswith(("CJK", "IDEOGRAPHIC", "FULLWIDTH")):
        return (FALLBACK, HAN, HANGUL) if japanese else (HAN, FALLBACK, HANGUL)
    script = label.split(" ")[0].title() if label else ""
    if script and script.isalpha() and unicodedata.category(char)[0] in "LMN":
        return (f"Rig-NotoSans{script}",)
    return ()


def _is_japanese(text: str) -> bool:
    return any(0x3040 <= ord(c) <= 0x30FF for c in text)


@lru_cache(maxsize=8192)
def _font_for(char: str, base: str, japanese: bool) -> str | None:
    """The font to set `char` in: `base` when it has the glyph, else the first fallback that has it."""
    bold = base == BOLD
    preferred: tuple[str, ...] = ()
    if unicodedata.name(char, "").startswith("ARABIC"):
        preferred = ("Rig-NotoSansArabic",)  # DejaVu has only part of the joined forms: one face for all
    elif _has_glyph(base, char) or char in "\n\t":
        return base
    for name in (*preferred, *_script_fonts(char, japanese), *_LAST_RESORT):
        registered = _load(name, bold)
        if registered is not None and _has_glyph(registered, char):
            return registered
    return None


def split_runs(text: str, font_name: str = BODY) -> list[tuple[str, str]]:
    """Split `text` (already in visual order) into (font, chunk) runs, each in a font that has its glyphs.

    >>> register_fonts() and split_runs("a日本のb")
    [('RigSans', 'a'), ('RigCJK', '日本の'), ('RigSans', 'b')]
    """
    return list(_split_runs(text, font_name))


@lru_cache(maxsize=4096)
def _split_runs(text: str, font_name: str) -> tuple[tuple[str, str], ...]:
    register_fonts()
    cmap = pdfmetrics.getFont(font_name).face.charToGlyph  # type: ignore[attr-defined]
    if all(ord(c) in cmap and unicodedata.bidirectional(c) != "AL" for c in text):
        return ((font_name, text),) if text else ()  # the common case: all in the body font
    japanese = _is_japanese(text)
    runs: list[tuple[str, str]] = []
    for char in text:
        if ord(char) in _INVISIBLE:
            continue
        use = _font_for(char, font_name, japanese)
        if use is None:
            use, char = font_name, MISSING
        if runs and runs[-1][0] == use:
            runs[-1] = (use, runs[-1][1] + char)
        else:
            runs.append((use, char))
    return tuple(runs)


def missing_characters(text: str) -> str:
    """The characters of `text` that no installed font can draw (they print as '?')."""
    register_fonts()
    japanese = _is_japanese(text)
    return "".join(
        dict.fromkeys(
            c for c in visual(text) if ord(c) not in _INVISIBLE and _font_for(c, BODY, japanese) is None
        )
    )


def missing_note(text: str) -> str:
    """A sentence for the reader when some characters cannot be drawn, else ''."""
    missing = missing_characters(text)
    if not missing:
        return ""
    codes = ", ".join(f"U+{ord(c):04X}" for c in missing[:6])
    return (
        f"Characters {codes} have no font on this computer and print as '?' "
        "(install fonts-noto-core, fonts-droid-fallback, fonts-nanum and fonts-symbola: scripts/install.sh)."
    )


def markup(text: object, bold: bool = False) -> str:
    """Paragraph markup that prints `text` exactly: XML-escaped, with <font> tags around fallback glyphs.

    >>> markup('R&D <GPU>')
    'R&amp;D &lt;GPU&gt;'
    """
    base = BOLD if bold else BODY
    parts = []
    for font, chunk in split_runs(visual(str(text)), base):
        safe = escape(chunk)
        parts.append(safe if font == base else f'<font name="{font}">{safe}</font>')
    return "".join(parts)


def _run_width(font: str, chunk: str, size: float) -> float:
    shaped = getattr(chunk, "__shapeData__", None)
    if shaped is not None:  # HarfBuzz advances, not the sum of the unshaped glyphs
        return float(sum(glyph.x_advance for glyph in shaped)) * size / 1000
    return float(pdfmetrics.stringWidth(chunk, font, size))


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of user text as draw_text sets it [pt]."""
    runs = split_runs(visual(text), BOLD if bold else BODY)
    return sum(_run_width(font, chunk, size) for font, chunk in runs)


def fit_width(text: str, max_width: float, size: float, bold: bool = False) -> str:
    """`text`, cut at a character boundary with '…' so that it measures at most `max_width` [pt]."""
    if text_width(text, size, bold) <= max_width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that still fits with the ellipsis
        middle = (low + high + 1) // 2
        if text_width(text[:middle].rstrip() + "…", size, bold) <= max_width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def draw_text(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    bold: bool = False,
    align: str = "left",
    max_width: float | None = None,
) -> float:
    """Draw user text at (x, y) [pt] with per-script fallback, cut to `max_width`; returns the width drawn [pt]."""
    if max_width is not None:
        text = fit_width(text, max_width, size, bold)
    runs = split_runs(visual(text), BOLD if bold else BODY)
    pieces: list[tuple[str, str]] = []
    width = 0.0
    for font, chunk in runs:
        if shapes(font.removesuffix("-Bold")):
            from reportlab.pdfbase.ttfonts import shapeStr

            chunk = shapeStr(chunk, font, size)
        pieces.append((font, chunk))
        width += _run_width(font, chunk, size)
    if align == "right":
        x -= width
    elif align == "center":
        x -= width / 2
    # One text object for all runs: separate drawString calls make pypdf split the text with newlines.
    text_object = canvas.beginText(x, y)
    for font, chunk in pieces:
        text_object.setFont(font, size)
        text_object.textOut(chunk)
    canvas.drawText(text_object)
    return width
