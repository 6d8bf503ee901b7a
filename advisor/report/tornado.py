"""The tornado chart of the Sensitivity section: break-even month per assumption at its low and high value."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.lib import colors

from advisor.engine.types import SensitivityBar
from advisor.report import formatting as fmt
from advisor.report.charts import GRID, INK, MUTED, _Axes, _fit_label, _legend, _text, new_drawing


def tornado_chart(
    bars: Sequence[SensitivityBar], base_month: float | None, horizon_months: int, width: float = 480
) -> Drawing:
    """Tornado of break-even month [months]: each assumption at its low and high value around the base case.

    The axis spans the months shown (a month-3 break-even is not squashed against a 36-month axis; a longer
    useful life can move break-even beyond the base horizon). A break-even of None ("never within the
    horizon") runs to the right edge, labelled "never". Exact figures are in the table under the chart.
    """
    rows = sorted(bars, key=lambda b: -_swing(b, horizon_months))
    bar, gap, label_w = 16.0, 7.0, 150.0
    top_pad = 30.0  # legend and base-case label
    height = 30 + top_pad + len(rows) * (bar + gap)
    drawing = new_drawing(width, height)
    values = [v for b in rows for v in (b.break_even_low, b.break_even_high)] + [base_month]
    finite = [v for v in values if v is not None]
    reach = max(finite + [1.0]) * 1.1
    if any(v is None for v in values):
        reach = max(reach, float(horizon_months))  # "never" must sit beyond every finite month
    ticks = fmt.nice_ticks(0, reach)
    axis_max = ticks[-1]
    plot_top = height - top_pad
    axes = _Axes(label_w, 30, width - label_w - 40, plot_top - 30, 0, axis_max, 0, 1)
    base = axis_max if base_month is None else base_month
    for tick in ticks:
        drawing.add(
            Line(axes.x(tick), axes.bottom, axes.x(tick), plot_top, strokeColor=GRID, strokeWidth=0.5)
        )
        drawing.add(_text(axes.x(tick), axes.bottom - 10, f"{tick:g}", 7, "middle", MUTED))
    drawing.add(_text(axes.left + axes.width, 3, "break-even month", 7, "end", MUTED))
    low_color, high_color = colors.HexColor("#5dade2"), colors.HexColor("#1a5276")
    for row, item in enumerate(rows):
        y = plot_top - (row + 1) * (bar + gap) + gap / 2
        drawing.add(
            _text(label_w - 6, y + bar / 2 - 2.5, _fit_label(item.assumption, label_w - 10, 7.5), 7.5, "end")
        )
        for index, (value, color) in enumerate(
            ((item.break_even_low, low_color), (item.break_even_high, high_color))
        ):
            end = axis_max if value is None else value
            x0, x1 = sorted((axes.x(base), axes.x(end)))
            # low and high share the row: each takes half its height so equal-side swings stay visible
            drawing.add(
                Rect(
                    x0,
                    y + (bar / 2 if index == 0 else 0),
                    max(x1 - x0, 0.8),
                    bar / 2,
                    fillColor=color,
                    strokeColor=None,
                )
            )
        nevers = [i for i, v in enumerate((item.break_even_low, item.break_even_high)) if v is None]
        if nevers:
            label_y = y + bar / 2 - 2.5 if len(nevers) == 2 else y + (bar / 2 if nevers[0] == 0 else 0) + 1
            drawing.add(_text(axes.x(axis_max) + 3, label_y, "never", 6.5, "start", INK, bold=True))
    drawing.add(Line(axes.x(base), axes.bottom, axes.x(base), plot_top + 2, strokeColor=INK, strokeWidth=1.0))
    base_text = "base case: never" if base_month is None else f"base case: month {fmt.months(base_month)}"
    anchor = "end" if axes.x(base) > axes.left + axes.width * 0.75 else "middle"
    drawing.add(
        _text(
            axes.x(base) + (4 if anchor == "end" else 0), plot_top + 5, base_text, 7, anchor, INK, bold=True
        )
    )
    _legend(
        drawing,
        label_w,
        height - 8,
        [("assumption at its low value", low_color), ("at its high value", high_color)],
    )
    return drawing


def _swing(item: SensitivityBar, horizon_months: int) -> float:
    low = horizon_months if item.break_even_low is None else item.break_even_low
    high = horizon_months if item.break_even_high is None else item.break_even_high
    return abs(high - low)
