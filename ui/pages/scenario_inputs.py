"""Left side of the Scenarios page: workload, candidate systems, API offers and finance inputs.

Every widget writes straight into the ScenarioState; `refresh()` reloads the widgets from it (signals
blocked) when a whole scenario is opened. No computing here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from advisor.app.state import ScenarioState
from advisor.app.store import MemoryStore
from ui.widgets.fields import FINANCE_FIELDS, WORKLOAD_FIELDS, BoundForm
from ui.widgets.wheel_guard import guard_wheel


class CheckList(QWidget):
    """A filterable list of checkable catalog items; `changed(ids)` is called with the ticked ids in order."""

    def __init__(self, placeholder: str, on_change: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(placeholder)
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.list = QListWidget()
        self.list.setMinimumHeight(90)
        self.list.itemChanged.connect(lambda _item: on_change(self.checked_ids()))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.filter)
        lay.addWidget(self.list)

    def set_items(self, items: list[tuple[str, str, str]], checked: tuple[str, ...]) -> None:
        """items: (id, label, tooltip)."""
        self.list.blockSignals(True)
        self.list.clear()
        for id_, label, tip in items:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, id_)
            item.setToolTip(tip)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if id_ in checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._apply_filter(self.filter.text())

    def checked_ids(self) -> list[str]:
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, id_: str, on: bool) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == id_:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _apply_filter(self, text: str) -> None:
        needle = text.lower().strip()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(needle) and needle not in item.text().lower())


def choice_combo(choices: tuple[tuple[str, str], ...], tip: str, write: Callable[[str], None]) -> QComboBox:
    """A combo of (label, stored value) pairs for a Literal assumption; a pick calls ``write(value)``."""
    combo = QComboBox()
    for label, value in choices:
        combo.addItem(label, value)
    combo.setToolTip(tip)
    combo.currentIndexChanged.connect(lambda _i: write(combo.currentData()))
    return combo


class ScenarioInputs(QScrollArea):
    """The input column. Writes to `state`; reads the catalog lists from `store`."""

    def __init__(self, store: MemoryStore, state: ScenarioState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.state = store, state
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        col = QVBoxLayout(body)

        wl_box = QGroupBox("Workload")
        wl_lay = QFormLayout(wl_box)
        self.model_combo = QComboBox()
        self.model_combo.setToolTip("The LLM to serve (catalog model)")
        self.model_combo.currentIndexChanged.connect(self._model_chosen)
        self.quant_combo = QComboBox()
        self.quant_combo.setToolTip(
            "Weight format; 'auto' lets the advisor choose the cheapest that meets the SLA"
        )
        self.quant_combo.currentIndexChanged.connect(self._quant_chosen)
        wl_lay.addRow("Model", self.model_combo)
        wl_lay.addRow("Quant", self.quant_combo)
        self.workload_form = BoundForm(WORKLOAD_FIELDS, lambda k, v: state.update_workload(**{k: v}))
        wl_lay.addRow(self.workload_form)
        self.prefix_cache_combo = choice_combo(
            (("reused (cache hits not prefilled)", "reuse"), ("none (prefill every token)", "none")),
            "Local prefix cache: whether the local server skips prefill of the cache-hit share of the input, as "
            "vLLM/SGLang prefix caching and llama.cpp's prompt cache do [reuse | none]",
            lambda value: state.update_workload(local_prefix_cache=value))
        wl_lay.addRow("Local prefix cache", self.prefix_cache_combo)
        col.addWidget(wl_box)

        cand_box = QGroupBox("Candidate systems")
        cand_lay = QVBoxLayout(cand_box)
        self.candidates = CheckList("Filter systems…", state.set_candidates)
        self.candidates.setToolTip("Systems to compare; tick to include")
        cand_lay.addWidget(self.candidates)
        col.addWidget(cand_box)

        api_box = QGroupBox("API offers")
        api_lay = QVBoxLayout(api_box)
        self.api_offers = CheckList("Filter offers…", state.set_api_offers)
        self.api_offers.setToolTip(
            "The API offer to compare against (the first ticked one) [USD per million tokens]"
        )
        api_lay.addWidget(self.api_offers)
        col.addWidget(api_box)

        fin_box = QGroupBox("Finance")
        fin_lay = QFormLayout(fin_box)
        self.condition_combo = QComboBox()
        self.condition_combo.addItems(["new", "used"])
        self.condition_combo.setToolTip("Which hardware price points to use: new or used [condition]")
        self.condition_combo.currentTextChanged.connect(lambda t: state.update_finance(price_condition=t))
        fin_lay.addRow("Prices", self.condition_combo)
        self.resale_combo = choice_combo(
            (("used-market curve per device class", "device_class"), ("flat residual value share", "flat")),
            "How the resale value at the end of the useful life is estimated: the depreciation curve of the "
            "device's class (fitted to dated used prices) or the flat Residual value share below",
            lambda value: state.update_finance(resale_model=value))
        fin_lay.addRow("Resale value", self.resale_combo)
        self.finance_form = BoundForm(FINANCE_FIELDS, lambda k, v: state.update_finance(**{k: v}))
        fin_lay.addRow(self.finance_form)
        col.addWidget(fin_box)
        col.addStretch(1)
        self.setWidget(body)
        self.setMinimumWidth(340)
        guard_wheel(body)  # the wheel scrolls this column; it never edits a field the pointer passes
        self.reload_catalog()

    def reload_catalog(self) -> None:
        """Refill the combos and lists from the store (after catalog edits), keeping the state's choices."""
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        for m in self.store.records("models"):
            self.model_combo.addItem(m.name, m.id)  # type: ignore[attr-defined]
        self.model_combo.blockSignals(False)
        self.quant_combo.blockSignals(True)
        self.quant_combo.clear()
        self.quant_combo.addItem("auto (advisor chooses)", "auto")
        self.quant_combo.addItem("native (as released)", "native")
        for q in self.store.records("quants"):
            self.quant_combo.addItem(f"{q.name}  ({q.bits_per_weight:g} bpw)", q.name)  # type: ignore[attr-defined]
        self.quant_combo.blockSignals(False)
        systems: list[Any] = self.store.records("systems")
        self.candidates.set_items(
            [(s.id, s.name, getattr(s, "description", "") or s.id) for s in systems], self.state.candidates
        )
        offers: list[Any] = self.store.records("api_offers")
        self.api_offers.set_items(
            [
                (
                    o.id,
                    f"{o.name} — in {o.usd_per_mtok_input_miss:g} / out {o.usd_per_mtok_output:g} $/Mtok",
                    f"{o.provider}; source {o.source}, as of {o.as_of}",
                )
                for o in offers
            ],
            self.state.api_offers,
        )
        self.refresh()

    def refresh(self) -> None:
        """Show the state's values (after a scenario was opened)."""
        wl, fin = self.state.workload, self.state.finance
        model = self.store.get("models", wl.model) if wl.model else None
        self._select(self.model_combo, model.id if model is not None else wl.model)  # type: ignore[attr-defined]
        self._select(self.quant_combo, wl.quant)
        self.workload_form.load(wl)
        self.finance_form.load(fin)
        self.condition_combo.blockSignals(True)
        self.condition_combo.setCurrentText(fin.price_condition)
        self.condition_combo.blockSignals(False)
        self.resale_combo.blockSignals(True)
        self.resale_combo.setCurrentIndex(self.resale_combo.findData(fin.resale_model))
        self.resale_combo.blockSignals(False)
        self.prefix_cache_combo.blockSignals(True)
        self.prefix_cache_combo.setCurrentIndex(self.prefix_cache_combo.findData(wl.local_prefix_cache))
        self.prefix_cache_combo.blockSignals(False)
        for lst, ids in ((self.candidates, self.state.candidates), (self.api_offers, self.state.api_offers)):
            lst.list.blockSignals(True)
            for i in range(lst.list.count()):
                item = lst.list.item(i)
                on = item.data(Qt.ItemDataRole.UserRole) in ids
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            lst.list.blockSignals(False)

    @staticmethod
    def _select(combo: QComboBox, value: str) -> None:
        """Show `value` (matched case-insensitively); a value the catalog lacks is shown as such, not
        silently replaced by the first entry."""
        combo.blockSignals(True)
        i = next((j for j in range(combo.count()) if str(combo.itemData(j)).lower() == value.lower()), -1)
        if i < 0 and value:
            combo.addItem(f"{value} (not in the catalog)", value)
            i = combo.count() - 1
        combo.setCurrentIndex(i)
        combo.blockSignals(False)

    def _model_chosen(self, _i: int) -> None:
        model = self.model_combo.currentData()
        if model:
            self.state.update_workload(model=model)
            self._follow_model(str(model))

    def _follow_model(self, model: str) -> None:
        """The API offers follow a model the user picks: tick the offers of that model (catalog order; the
        first one is what the scenario compares against). A model without offers keeps the ticks as they
        are, and the verdict names the offer it uses. (Switching to DeepSeek-V4-Pro used to keep comparing
        against a Qwen3 VL offer.)"""
        offers: list[Any] = self.store.records("api_offers")
        ids = [o.id for o in offers if str(getattr(o, "model_ref", "") or "").lower() == model.lower()]
        if not ids:
            return
        self.api_offers.list.blockSignals(True)
        for id_ in self.api_offers.checked_ids():
            self.api_offers.set_checked(id_, False)
        for id_ in ids:
            self.api_offers.set_checked(id_, True)
        self.api_offers.list.blockSignals(False)
        self.state.set_api_offers(self.api_offers.checked_ids())

    def _quant_chosen(self, _i: int) -> None:
        quant = self.quant_combo.currentData()
        if quant:
            self.state.update_workload(quant=quant)
