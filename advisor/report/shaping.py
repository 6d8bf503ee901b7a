"""Complex scripts in the PDF: right-to-left text in visual order, HarfBuzz shaping only where a script needs it.

Arabic is joined into its presentation forms (arabic-reshaper) and Arabic and Hebrew runs are put in visual
(drawing) order (python-bidi) before any font is chosen. Indic and other left-to-right complex scripts are shaped by
HarfBuzz through reportlab's own support (uharfbuzz), limited to the Noto script fonts that need it.
"""

from __future__ import annotations

import unicodedata
from typing import Any

try:  # optional at run time: without them RTL text prints unjoined, in logical order
    from arabic_reshaper import reshape as _reshape
    from bidi import get_display as _visual_order
except ImportError:  # pragma: no cover - both are declared dependencies
    _reshape = _visual_order = None  # type: ignore[assignment]

try:
    import uharfbuzz  # noqa: F401  (reportlab shapes with it when importable)

    SHAPING = True
except ImportError:  # pragma: no cover
    SHAPING = False

# right-to-left scripts are joined and reordered by visual() before drawing: HarfBuzz must not reverse them again
_RTL_SCRIPTS = ("Arabic", "Hebrew", "Syriac", "Thaana", "Nko", "Samaritan", "Mandaic", "Adlam")


def shapes(name: str) -> bool:
    """Whether HarfBuzz shapes text in font `name`: the Noto script fonts of left-to-right complex scripts."""
    return SHAPING and name.startswith("Rig-NotoSans") and not name.endswith(_RTL_SCRIPTS)


def limit_paragraph_shaping() -> None:
    """Make Paragraph shaping skip words whose first run is not in a script font that needs it.

    reportlab shapes every word of a shaping paragraph with the font of the word's first run and with discretionary
    ligatures on: DejaVu would print 'test' with an 'st' ligature that copy-paste cannot read back.
    """
    from reportlab.platypus import paragraph

    original = paragraph.shapeFragWord
    if getattr(original, "__rig_limited__", False):
        return

    def shape_script_words(word: Any, *args: Any, **kwargs: Any) -> Any:
        first = next((frag for frag, _text in word[1:] if hasattr(frag, "fontName")), None)
        if first is None or not shapes(str(first.fontName).removesuffix("-Bold")):
            return word
        return original(word, *args, **kwargs)

    shape_script_words.__rig_limited__ = True  # type: ignore[attr-defined]
    paragraph.shapeFragWord = shape_script_words  # type: ignore[attr-defined]


def visual(text: str) -> str:
    """Right-to-left runs joined and put in visual (drawing) order; other text unchanged.

    >>> visual("GPU rig") == "GPU rig"
    True
    """
    if _reshape is None or not any(unicodedata.bidirectional(c) in ("R", "AL") for c in text):
        return text
    return str(_visual_order(_reshape(text)))
