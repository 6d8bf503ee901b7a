"""Spin boxes for the Workload/Finance fields, built from their one declaration (advisor.engine.assumptions),
and bound to the scenario state.

A `FieldSpec` maps one Workload/Finance field to a spin box. `scale` converts the stored value to what the
user types (tokens stored per month, typed in millions; fractions typed as percent).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QSpinBox, QWidget

from advisor.engine.assumptions import AssumptionField, Finance, Workload, assumption_fields


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
    integer: bool = False  # the stored value is a whole number


def spec_of(field: AssumptionField) -> FieldSpec:
    """A spin box for a declared Workload/Finance field (advisor.engine.assumptions): same label, unit,
    bounds and tooltip as the engine's validation and the report's assumptions table."""
    low = field.low if field.low is not None else 0.0
    if field.low_open:  # the bound itself is refused: start one typed step above it
        low += 10.0 ** -field.decimals * field.scale
    high = field.high if field.high is not None else 1e12
    return FieldSpec(field.name, field.label, f" {field.unit}" if field.unit else "", low / field.scale,
                     high / field.scale, field.step, field.decimals, field.scale, field.description,
                     integer=field.kind == "int")


def _specs(cls: Any, names: tuple[str, ...]) -> tuple[FieldSpec, ...]:
    fields = {f.name: f for f in assumption_fields(cls)}
    return tuple(spec_of(fields[name]) for name in names)


WORKLOAD_FIELDS = _specs(Workload, ("tokens_in_per_month", "tokens_out_per_month", "cache_hit_share",
                                    "prompt_tokens", "output_tokens", "peak_concurrency", "hours_per_day",
                                    "sla_tok_s_per_user", "sla_ttft_s", "growth_per_month"))
FINANCE_FIELDS = _specs(Finance, ("tariff_usd_per_kwh", "pue", "useful_life_months", "residual_share",
                                  "discount_rate_per_year", "api_price_change_per_year",
                                  "maintenance_usd_per_month"))


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
        if spec.integer:
            value = int(round(value))
        self._write(spec.name, value)

    def load(self, obj: Any) -> None:
        for name, box in self.widgets.items():
            spec = self.specs[name]
            value = getattr(obj, name)
            box.blockSignals(True)
            box.setValue(value / spec.scale if spec.scale != 1 else value)
            box.blockSignals(False)
