"""Add / duplicate / edit one catalog record in a form generated from its pydantic schema.

OK validates the whole record first; a bad value is refused with the message shown at that field (red
frame, the reason under the form, focus moved there) and nothing is written. Only a valid record is
handed to `on_save`, which may still refuse it (e.g. a system naming unknown hardware).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pydantic import BaseModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from advisor.app.record_fields import FieldInfo, edited_data, fields_of, to_text
from advisor.app.store import validate_record
from advisor.errors import InputError
from ui.widgets.wheel_guard import guard_wheel

ERROR_STYLE = "border: 2px solid #c0392b;"


class RecordDialog(QDialog):
    """Fields by name in `widgets`; `error_label` shows why a value was refused."""

    def __init__(
        self,
        kind: str,
        base: BaseModel | None,
        on_save: Callable[[BaseModel], None],
        mode: str = "edit",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind, self.base, self.on_save, self.mode = kind, base, on_save, mode
        self.setWindowTitle(f"{mode.capitalize()} {kind.replace('_', ' ')}")
        self.setObjectName("recordDialog")
        self.fields: dict[str, FieldInfo] = {f.name: f for f in fields_of(kind)}
        self.widgets: dict[str, QLineEdit | QComboBox] = {}
        form_host = QWidget()
        form = QFormLayout(form_host)
        for info in self.fields.values():
            value = getattr(base, info.name, None) if base is not None else info.default
            if info.name == "id" and mode == "duplicate" and value:
                value = f"{value}-copy"
            if info.name == "as_of" and (value is None or mode != "edit"):
                value = dt.date.today() if base is None or mode != "edit" else value
            widget: QLineEdit | QComboBox
            if info.choices:
                widget = QComboBox()
                widget.addItems(list(info.choices))
                if value is not None:
                    widget.setCurrentText(str(value))
            elif info.annotation is bool:
                widget = QComboBox()
                widget.addItems(["false", "true"])
                widget.setCurrentText(to_text(bool(value)))
            else:
                widget = QLineEdit(to_text(value))
                if info.optional:
                    widget.setPlaceholderText("(empty = unknown)")
            if info.name == "id" and mode == "edit":
                widget.setEnabled(False)  # identity: other records refer to it; duplicate to rename
            widget.setObjectName(info.name)
            widget.setToolTip(info.description + ("" if info.required else " (optional)"))
            self.widgets[info.name] = widget
            label = info.header + (" *" if info.required else "")
            form.addRow(label, widget)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_host)
        guard_wheel(form_host)
        self.error_label = QLabel("")
        self.error_label.setObjectName("fieldError")
        self.error_label.setStyleSheet("color: #c0392b; font-weight: bold;")
        self.error_label.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(scroll, 1)
        lay.addWidget(self.error_label)
        lay.addWidget(buttons)
        self.resize(520, 640)

    def set_text(self, field: str, text: str) -> None:
        widget = self.widgets[field]
        if isinstance(widget, QComboBox):
            widget.setCurrentText(text)
        else:
            widget.setText(text)

    def texts(self) -> dict[str, str]:
        return {
            name: (w.currentText() if isinstance(w, QComboBox) else w.text())
            for name, w in self.widgets.items()
        }

    def _clear_errors(self) -> None:
        for w in self.widgets.values():
            w.setStyleSheet("")
        self.error_label.setText("")

    def show_field_error(self, field: str | None, message: str) -> None:
        top = (field or "").split(".")[0].split("[")[0]
        if top.startswith(f"{self.kind}"):  # "systems[x].host" from the database layer
            top = (field or "").rsplit(".", 1)[-1]
        widget = self.widgets.get(top)
        if widget is not None:
            widget.setStyleSheet(ERROR_STYLE)
            widget.setToolTip(message)
            widget.setFocus()
        self.error_label.setText(message)

    def try_accept(self) -> bool:
        """Validate and save; on a bad value show it at the field and stay open. True when saved."""
        self._clear_errors()
        # duplicate starts from the copied record (prices included); add from the schema defaults
        data = edited_data(self.kind, self.base, self.texts())
        try:
            record = validate_record(self.kind, data)
            self.on_save(record)
        except InputError as exc:
            self.show_field_error(exc.field, str(exc))
            return False
        self.accept()
        return True
