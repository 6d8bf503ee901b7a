"""Vector charts for the report (reportlab.graphics Drawings, so they print sharply at any size).

Each function takes engine results and returns a Drawing sized in points [pt]; platypus places it like an image.
Charts are drawn from plain shapes on a small axis helper rather than reportlab's chart widgets, because the
band polygons, break-even markers and "never" bars need exact control of the coordinates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from advisor.engine.types import CandidateResult
from advisor.report import formatting as fmt
from advisor.report.fonts import BODY, fit_width, split_runs, visual

API_COLOR = colors.HexColor("#c0392b")
LOCAL_COLORS = (colors.HexColor("#1f5fa8"), colors.HexColor("#2e8b57"), colors.HexColor("#8e44ad"))
GRID = colors.HexColor("#d9d9d9")
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#666666")


@dataclass
class _Axes:
    """Maps data (x, y) into drawing coordinates inside a plot rectangle."""

    left: float
    bottom: float
    width: float
    height: float
    x_min: float
    x_max: float
    y_min: float
    y_max: float

    def x(self, value: float) -> float:
        span = (self.x_max - self.x_min) or 1.0
        return self.left + (value - self.x_min) / span * self.width

    def y(self, value: float) -> float:
        span = (self.y_max - self.y_min) or 1.0
        return self.bottom + (value - self.y_min) / span * self.height


def new_drawing(width: float, height: float) -> Drawing:
    """An empty Drawing whose renderer starts in our font (reportlab's default, Helvetica, is not embedded)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = BODY
    return drawing


def _text(
    x: float,
    y: float,
    text: str,
    size: float = 7,
    anchor: str = "start",
    color: colors.Color = INK,
    bold: bool = False,
) -> Group:
    """A label with per-glyph font fallback (user text such as candidate names may hold CJK)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    base = "RigSans-Bold" if bold else BODY
    runs = split_runs(visual(text), base)
    total = sum(stringWidth(chunk, font, size) for font, chunk in runs)
    start = x - total if anchor == "end" else x - total / 2 if anchor == "middle" else x
    group = Group()
    for font, chunk in runs:
        group.add(String(start, y, chunk, fontName=font, fontSize=size, fillColor=color))
        start += stringWidth(chunk, font, size)
    return group


def _legend(drawing: Drawing, x: float, y: float, items: Sequence[tuple[str, colors.Color]]) -> float:
    """Legend entries left to right, wrapping below when the drawing's width is reached; returns the lowest y."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    start = x
    for label, color in items:
        needed = 22 + stringWidth(label, BODY, 7)
        if x > start and x + needed - 11 > drawing.width:
            x, y = start, y - 10
        drawing.add(Rect(x, y, 8, 6, fillColor=color, strokeColor=None))
        drawing.add(_text(x + 11, y, label, 7))
        x += needed
    return y


def _name(candidate: CandidateResult) -> str:
    return fmt.candidate_label(candidate)


def _fit_label(text: str, max_width: float, size: float = 7) -> str:
    """`text` cut with '…' to a measured width [pt] (CJK glyphs are twice as wide as Latin ones)."""
    return fit_width(text, max_width, size)


def cumulative_cost_chart(
    api_usd: Sequence[float],
    candidates: Sequence[CandidateResult],
    highlight: CandidateResult | None,
    width: float = 480,
    height: float = 210,
) -> Drawing:
    """Cumulative cost [USD] per month: the API line, up to 3 local lines, the band and break-even of `highlight`."""
    drawing = new_drawing(width, height)
    candidates = [c for c in candidates if c.cumulative_local_usd]  # uncosted (rejected) ones have no curve
    series = [list(c.cumulative_local_usd) for c in candidates]
    horizon = max([len(api_usd) - 1] + [len(s) - 1 for s in series] + [1])
    values = list(api_usd) + [v for s in series for v in s]
    if highlight is not None:
        values += list(highlight.cumulative_local_high_usd) + list(highlight.cumulative_local_low_usd)
    y_ticks = fmt.nice_ticks(min(values + [0.0]), max(values + [1.0]))
    axes = _Axes(52, 34, width - 62, height - 64, 0, horizon, y_ticks[0], y_ticks[-1])  # top: 2 legend rows
    step = 3 if horizon <= 18 else 6 if horizon <= 48 else 12
    for tick in y_ticks:
        drawing.add(
            Line(
                axes.left,
                axes.y(tick),
                axes.left + axes.width,
                axes.y(tick),
                strokeColor=GRID,
                strokeWidth=0.5,
            )
        )
        drawing.add(_text(axes.left - 4, axes.y(tick) - 2.5, fmt.usd_short(tick), 7, "end", MUTED))
    for month in range(0, horizon + 1, step):
        drawing.add(Line(axes.x(month), axes.bottom, axes.x(month), axes.bottom - 3, strokeColor=MUTED))
        drawing.add(_text(axes.x(month), axes.bottom - 12, str(month), 7, "middle", MUTED))
    drawing.add(_text(axes.left + axes.width / 2, 4, "month", 7, "middle", MUTED))
    drawing.add(
        Line(axes.left, axes.bottom, axes.left + axes.width, axes.bottom, strokeColor=INK, strokeWidth=0.7)
    )
    if (
        highlight is not None
        and highlight.cumulative_local_low_usd
        and highlight.cumulative_local_high_usd
        and len(api_usd) > 1
    ):
        upper = [(axes.x(m), axes.y(v)) for m, v in enumerate(highlight.cumulative_local_high_usd)]
        lower = [(axes.x(m), axes.y(v)) for m, v in enumerate(highlight.cumulative_local_low_usd)]
        points = [c for p in upper + lower[::-1] for c in p]
        drawing.add(Polygon(points, fillColor=colors.Color(0.12, 0.37, 0.66, alpha=0.15), strokeColor=None))
    legend: list[tuple[str, colors.Color]] = [("API only", API_COLOR)]
    for index, (candidate, s) in enumerate(zip(candidates, series, strict=True)):
        color = LOCAL_COLORS[index % len(LOCAL_COLORS)]
        wide = highlight is not None and candidate.system_id == highlight.system_id
        drawing.add(
            PolyLine(
                [c for m, v in enumerate(s) for c in (axes.x(m), axes.y(v))],
                strokeColor=color,
                strokeWidth=2.0 if wide else 1.0,
            )
        )
        legend.append((_fit_label(_name(candidate), 210), color))
    drawing.add(
        PolyLine(
            [c for m, v in enumerate(api_usd) for c in (axes.x(m), axes.y(v))],
            strokeColor=API_COLOR,
            strokeWidth=2.0,
            strokeDashArray=[4, 2],
        )
    )
    if highlight is not None and highlight.break_even_month is not None and len(api_usd) > 1:
        be_month = highlight.break_even_month
        index = min(int(be_month), len(api_usd) - 2) if len(api_usd) > 1 else 0
        frac = be_month - index
        cost = api_usd[index] + (api_usd[min(index + 1, len(api_usd) - 1)] - api_usd[index]) * frac
        bx, by = axes.x(be_month), axes.y(cost)
        drawing.add(
            Line(
                bx,
                axes.bottom,
                bx,
                axes.bottom + axes.height,
                strokeColor=INK,
                strokeWidth=0.8,
                strokeDashArray=[2, 2],
            )
        )
        drawing.add(Rect(bx - 3, by - 3, 6, 6, fillColor=INK, strokeColor=None))
        label = f"break-even: month {fmt.months(be_month)}"
        anchor = "end" if bx > axes.left + axes.width * 0.7 else "start"
        drawing.add(
            _text(
                bx + (-5 if anchor == "end" else 5),
                axes.bottom + axes.height - 9,
                label,
                8,
                anchor,
                INK,
                bold=True,
            )
        )
    _legend(drawing, axes.left, height - 10, legend)
    return drawing
