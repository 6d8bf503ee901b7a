"""Paragraph and table styles of the report, and small builders that keep user text escaped.

Every piece of user text (scenario, candidate and vendor names, notes) reaches a Paragraph through `para()`,
which escapes it and adds CJK fallback; our own markup (bold labels) is passed separately as `bold`.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from advisor.report.fonts import BODY, BOLD, SHAPING, markup, register_fonts, split_runs, visual

ACCENT = colors.HexColor("#1f5fa8")
HEADER_BG = colors.HexColor("#e8eef6")
ROW_ALT = colors.HexColor("#f7f7f7")
RULE = colors.HexColor("#b0b0b0")
CONTENT_WIDTH = 174 * mm  # A4 width 210 mm minus 18 mm margins each side

register_fonts()

BODY_STYLE = ParagraphStyle("body", fontName=BODY, fontSize=9, leading=12)
SMALL = ParagraphStyle("small", parent=BODY_STYLE, fontSize=7.5, leading=9.5)
CELL = ParagraphStyle("cell", parent=BODY_STYLE, fontSize=8, leading=10)
CELL_RIGHT = ParagraphStyle("cell_right", parent=CELL, alignment=TA_RIGHT)
CELL_HEAD = ParagraphStyle("cell_head", parent=CELL, fontName=BOLD)
CELL_HEAD_RIGHT = ParagraphStyle("cell_head_right", parent=CELL_HEAD, alignment=TA_RIGHT)
# the appendix's tables: smaller type, so long reference tables take fewer, fuller pages
TINY = ParagraphStyle("tiny", parent=BODY_STYLE, fontSize=6.8, leading=8.2)
TINY_RIGHT = ParagraphStyle("tiny_right", parent=TINY, alignment=TA_RIGHT)
TINY_HEAD = ParagraphStyle("tiny_head", parent=TINY, fontName=BOLD)
TINY_HEAD_RIGHT = ParagraphStyle("tiny_head_right", parent=TINY_HEAD, alignment=TA_RIGHT)
CELL_WARN = ParagraphStyle("cell_warn", parent=TINY, textColor=colors.HexColor("#c0392b"))
_EMPHASIS = {
    CELL.name: CELL_HEAD,
    CELL_RIGHT.name: CELL_HEAD_RIGHT,
    TINY.name: TINY_HEAD,
    TINY_RIGHT.name: TINY_HEAD_RIGHT,
}
TITLE = ParagraphStyle("title", parent=BODY_STYLE, fontName=BOLD, fontSize=18, leading=22, spaceAfter=4)
SUBTITLE = ParagraphStyle(
    "subtitle", parent=BODY_STYLE, fontName=BOLD, fontSize=13, leading=17, spaceAfter=2, textColor=ACCENT
)
# Headings are not kept with what follows (a long table would drag them, and leave a page empty): heading()
# puts a conditional page break before them instead.
H1 = ParagraphStyle(
    "h1",
    parent=BODY_STYLE,
    fontName=BOLD,
    fontSize=13,
    leading=17,
    spaceBefore=6,
    spaceAfter=6,
    textColor=ACCENT,
)
H2 = ParagraphStyle(
    "h2",
    parent=BODY_STYLE,
    fontName=BOLD,
    fontSize=10.5,
    leading=14,
    spaceBefore=8,
    spaceAfter=4,
)
VERDICT = ParagraphStyle("verdict", parent=BODY_STYLE, fontName=BOLD, fontSize=11, leading=15)
BULLET = ParagraphStyle("bullet", parent=BODY_STYLE, leftIndent=10, bulletIndent=0, bulletFontName=BODY)


_SHAPED: dict[str, ParagraphStyle] = {}


def _style_for(text: str, style: ParagraphStyle) -> ParagraphStyle:
    """`style`, or its HarfBuzz-shaping twin when the markup uses a script font (Devanagari, Thai ...).

    Shaping is switched on only where needed: it costs time on every word it sees."""
    if not SHAPING or "Rig-NotoSans" not in text:  # (shaping applies only to fonts registered shapable)
        return style
    if style.name not in _SHAPED:
        _SHAPED[style.name] = ParagraphStyle(f"{style.name}_shaped", parent=style, shaping=1)
    return _SHAPED[style.name]


def table_style(commands: Sequence[tuple]) -> TableStyle:
    """A TableStyle whose cells start in our font: reportlab's default cell font, Helvetica, is not embedded."""
    return TableStyle([("FONT", (0, 0), (-1, -1), BODY, 8), *commands])


def heading(text: str, style: ParagraphStyle = H1, room: float = 80) -> list[Flowable]:
    """A heading that starts a new page only when less than `room` [pt] is left below it (the heading and the
    first lines of its table), never taking a long table with it."""
    return [CondPageBreak(room), para(text, style)]


def para(text: object, style: ParagraphStyle = BODY_STYLE, bold: str = "") -> Paragraph:
    """A Paragraph that prints `text` exactly as typed; `bold` is our own label set before it."""
    prefix = f"<b>{markup(bold, bold=True)}</b> " if bold else ""
    body = prefix + markup(text, bold=style.fontName == BOLD)
    return Paragraph(body, _style_for(body, style))


def bullet(text: object) -> Paragraph:
    body = markup(text)
    return Paragraph(body, _style_for(body, BULLET), bulletText="•")


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    col_widths: Sequence[float],
    right_cols: Sequence[int] = (),
    emphasize_rows: Sequence[int] = (),
    compact: bool = False,
) -> Table:
    """A table whose header repeats on every page it spans; user text is printed exactly (never parsed as markup).

    right_cols: numeric columns, right-aligned. emphasize_rows: body row indexes set in bold on a tint.
    A cell that fits its column on one line in the body font is drawn as a plain string (about ten times faster
    than a Paragraph, which the long appendix tables would otherwise spend most of the render time on); a cell
    that must wrap or needs a fallback font is an escaped Paragraph.
    """
    left, right = (TINY, TINY_RIGHT) if compact else (CELL, CELL_RIGHT)
    head_left, head_right = (TINY_HEAD, TINY_HEAD_RIGHT) if compact else (CELL_HEAD, CELL_HEAD_RIGHT)
    head = [para(h, head_right if i in right_cols else head_left) for i, h in enumerate(header)]
    body = []
    for row_index, row in enumerate(rows):
        cells = []
        for col, value in enumerate(row):
            style = right if col in right_cols else left
            if row_index in emphasize_rows:
                style = _EMPHASIS[style.name]
            cells.append(_cell(value, style, col_widths[col] - 6))
        body.append(cells)
    table = Table([head, *body], colWidths=list(col_widths), repeatRows=1, hAlign="LEFT")
    commands: list[tuple] = [
        ("FONT", (0, 1), (-1, -1), left.fontName, left.fontSize, left.leading),
        *[("ALIGN", (col, 1), (col, -1), "RIGHT") for col in right_cols],
        *[("FONT", (0, r + 1), (-1, r + 1), BOLD, left.fontSize, left.leading) for r in emphasize_rows],
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5 if compact else 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 if compact else 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for row_index in range(1, len(body) + 1):
        if row_index % 2 == 0:
            commands.append(("BACKGROUND", (0, row_index), (-1, row_index), ROW_ALT))
    for row_index in emphasize_rows:
        commands.append(("BACKGROUND", (0, row_index + 1), (-1, row_index + 1), colors.HexColor("#fff4d6")))
    table.setStyle(table_style(commands))
    return table


def _cell(value: object, style: ParagraphStyle, width: float) -> object:
    """Plain text lines when `value` is all in the style's own font and wraps at spaces within `width` [pt];
    else (fallback glyphs, a word longer than the column) an escaped Paragraph."""
    if isinstance(value, Flowable):
        return value
    text = visual(str(value))
    runs = split_runs(text, style.fontName)
    if len(runs) > 1 or any(font != style.fontName for font, _chunk in runs):
        return para(value, style)
    if stringWidth(text, style.fontName, style.fontSize) <= width:
        return text
    lines = simpleSplit(text, style.fontName, style.fontSize, width)
    if any(stringWidth(line, style.fontName, style.fontSize) > width for line in lines):
        return para(value, style)
    return "\n".join(lines)


def appendix_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    col_widths: Sequence[float],
    right_cols: Sequence[int] = (),
    emphasize_rows: Sequence[int] = (),
) -> Table:
    """data_table in the appendix's compact type."""
    return data_table(header, rows, col_widths, right_cols, emphasize_rows, compact=True)
