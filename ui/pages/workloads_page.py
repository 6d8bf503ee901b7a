"""Workloads: the saved scenarios with their workload at a glance; double-click (or Open) to model one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QPushButton, QWidget

from advisor.app.store import MemoryStore
from ui.models.dict_table import ROW_ROLE
from ui.pages.table_page import TablePage

COLUMNS = (
    ("name", "scenario"),
    ("model", "model"),
    ("quant", "quant"),
    ("tokens_in_m", "input\n[M tok/month]"),
    ("tokens_out_m", "output\n[M tok/month]"),
    ("peak_concurrency", "peak\nconcurrency"),
    ("sla", "SLA\n[tok/s per user]"),
    ("candidates", "candidates"),
    ("api", "API offer"),
    ("description", "description"),
)


def workload_rows(store: MemoryStore) -> list[dict[str, Any]]:
    rows = []
    for rec in store.records("scenarios"):
        wl: dict[str, Any] = dict(rec.workload)  # type: ignore[attr-defined]
        rows.append(
            {
                "name": rec.name,  # type: ignore[attr-defined]
                "model": wl.get("model", ""),
                "quant": wl.get("quant", "auto"),
                "tokens_in_m": float(wl.get("tokens_in_per_month", 100e6)) / 1e6,
                "tokens_out_m": float(wl.get("tokens_out_per_month", 20e6)) / 1e6,
                "peak_concurrency": int(wl.get("peak_concurrency", 1)),
                "sla": float(wl.get("sla_tok_s_per_user", 10.0)),
                "candidates": len(rec.candidates),  # type: ignore[attr-defined]
                "api": ", ".join(rec.api_offers),  # type: ignore[attr-defined]
                "description": rec.description,  # type: ignore[attr-defined]
            }
        )
    return rows


class WorkloadsPage(TablePage):
    def __init__(
        self, store: MemoryStore, open_scenario: Callable[[str], bool], parent: QWidget | None = None
    ) -> None:
        super().__init__("Workloads", COLUMNS, parent)
        self.store, self._open = store, open_scenario
        button = QPushButton("Open in Scenarios")
        button.clicked.connect(lambda _c=False: self.open_selected())
        self.bar.addWidget(button)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.info.setText(
            "Each saved scenario's workload. File > Save scenario (Ctrl+S) stores the one being edited."
        )
        store.subscribe(lambda kind: self.reload() if kind == "scenarios" else None)
        self.reload()

    def reload(self) -> None:
        self.set_rows(workload_rows(self.store))

    def open_selected(self) -> bool:
        index = self.table.currentIndex()
        if not index.isValid():
            return False
        row = self.proxy.data(index, ROW_ROLE)
        return self._open(str(self.model.row_dict(int(row))["name"]))
