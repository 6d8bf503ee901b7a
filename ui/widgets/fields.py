"""Form fields declared once (name, label, unit, range, scale, tooltip) and bound to a dataclass in the state.

A `FieldSpec` maps one Workload/Finance field to a spin box. `scale` converts the stored value to what the
user types (tokens stored per month, typed in millions; fractions typed as percent).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QSpinBox, QWidget


@dataclass(frozen=True)
class FieldSpec:
    name: str  # dataclass field
    label: str
    unit: str  # shown as the spin box suffix
    minimum: float
    maximum: float
    step: float = 1.0
    decimals: int = 0  # 0 -> integer spin box
    scale: float = 1.0  # stored value = typed value x scale
    tooltip: str = ""


WORKLOAD_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "tokens_in_per_month",
        "Input tokens",
        " M/month",
        0,
        1e7,
        10,
        1,
        1e6,
        "Input (prompt) tokens per month at month 0 [million tokens/month]",
    ),
    FieldSpec(
        "tokens_out_per_month",
        "Output tokens",
        " M/month",
        0,
        1e7,
        5,
        1,
        1e6,
        "Generated tokens per month at month 0 [million tokens/month]",
    ),
    FieldSpec(
        "cache_hit_share",
        "Cache-hit share",
        " %",
        0,
        100,
        5,
        0,
        0.01,
        "Share of input tokens billed at the API's cache-hit price [% of input tokens]",
    ),
    FieldSpec(
        "prompt_tokens",
        "Avg prompt",
        " tok",
        1,
        2_000_000,
        500,
        0,
        1,
        "Average prompt length per request [tokens]; sets time to first token",
    ),
    FieldSpec(
        "output_tokens",
        "Avg output",
        " tok",
        1,
        1_000_000,
        100,
        0,
        1,
        "Average output length per request [tokens]",
    ),
    FieldSpec(
        "peak_concurrency",
        "Peak concurrency",
        " user(s)",
        1,
        10_000,
        1,
        0,
        1,
        "Requests served at the same time at peak [concurrent sequences]",
    ),
    FieldSpec(
        "hours_per_day",
        "Hours per day",
        " h/day",
        0.5,
        24,
        1,
        1,
        1,
        "Hours per day the service must be up and loaded [h/day]",
    ),
    FieldSpec(
        "sla_tok_s_per_user",
        "SLA speed",
        " tok/s",
        0,
        10_000,
        1,
        1,
        1,
        "Minimum decode speed each user must see [tokens/s per user]",
    ),
    FieldSpec(
        "sla_ttft_s",
        "SLA time to first token",
        " s",
        0.05,
        3600,
        1,
        2,
        1,
        "Longest acceptable time to first token for an average prompt [s]",
    ),
    FieldSpec(
        "growth_per_month",
        "Demand growth",
        " %/month",
        -50,
        100,
        1,
        1,
        0.01,
        "Token volume growth, compounding monthly [% per month]",
    ),
)

FINANCE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "tariff_usd_per_kwh",
        "Electricity tariff",
        " $/kWh",
        0.0,
        5,
        0.01,
        3,
        1,
        "Electricity price [USD/kWh]",
    ),
    FieldSpec(
        "pue",
        "PUE",
        "",
        1.0,
        3.0,
        0.05,
        2,
        1,
        "Power usage effectiveness: facility power / IT power [ratio, 1.0 = no cooling overhead]",
    ),
    FieldSpec(
        "useful_life_months",
        "Useful life",
        " months",
        1,
        240,
        6,
        0,
        1,
        "Months the hardware is used before it is sold [months]; also the default horizon",
    ),
    FieldSpec(
        "residual_share",
        "Residual value",
        " %",
        0,
        100,
        5,
        0,
        0.01,
        "Resale value at end of life [% of capex]",
    ),
    FieldSpec(
        "discount_rate_per_year",
        "Discount rate",
        " %/yr",
        0,
        100,
        1,
        1,
        0.01,
        "Discount rate for the NPV [% per year]",
    ),
    FieldSpec(
        "api_price_change_per_year",
        "API price change",
        " %/yr",
        -95,
        200,
        5,
        0,
        0.01,
        "Expected yearly change of API prices [% per year; -30 = prices fall 30 % a year]",
    ),
    FieldSpec(
        "maintenance_usd_per_month",
        "Maintenance",
        " $/month",
        0,
        1e6,
        10,
        0,
        1,
        "Maintenance and admin cost of the local system [USD/month]",
    ),
)


class BoundForm(QWidget):
    """Spin boxes for `specs`; edits call `write(name, stored_value)`; `load(obj)` refreshes quietly."""

    def __init__(
        self, specs: Sequence[FieldSpec], write: Callable[[str, Any], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.specs = {s.name: s for s in specs}
        self.widgets: dict[str, QSpinBox | QDoubleSpinBox] = {}
        self._write = write
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        for spec in specs:
            box: QSpinBox | QDoubleSpinBox
            if spec.decimals == 0 and spec.scale == 1:
                box = QSpinBox()
                box.setRange(int(spec.minimum), int(spec.maximum))
                box.setSingleStep(int(spec.step))
            else:
                box = QDoubleSpinBox()
                box.setDecimals(spec.decimals)
                box.setRange(spec.minimum, spec.maximum)
                box.setSingleStep(spec.step)
            box.setSuffix(spec.unit)
            box.setToolTip(spec.tooltip)
            box.setKeyboardTracking(False)  # typing "120" computes once, not for "1", "12", "120"
            box.setAccelerated(True)
            box.setObjectName(spec.name)
            box.valueChanged.connect(lambda v, s=spec: self._edited(s, v))
            self.widgets[spec.name] = box
            self.form.addRow(spec.label, box)

    def _edited(self, spec: FieldSpec, typed: float) -> None:
        value: Any = typed * spec.scale
        if isinstance(self.widgets[spec.name], QSpinBox) or spec.name.endswith(
            ("_months", "_tokens", "concurrency")
        ):
            value = int(round(value))
        self._write(spec.name, value)

    def load(self, obj: Any) -> None:
        for name, box in self.widgets.items():
            spec = self.specs[name]
            value = getattr(obj, name)
            box.blockSignals(True)
            box.setValue(value / spec.scale if spec.scale != 1 else value)
            box.blockSignals(False)
