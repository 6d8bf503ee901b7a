"""Tools > Update prices: fetch a price feed (URL, stored source or file) in the background, show what
would change, and apply it as one import batch only when the user says so (advisor.feeds does the work).

Both steps run on the QThreadPool with a progress bar and Cancel; a bad feed is refused with its reason
and nothing is written.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from advisor.app import prices
from ui.dialogs.errors import show_error
from ui.dialogs.progress_job import ProgressPanel


def diff_html(diff: Any) -> str:
    rows = []
    for change in (*diff.changed, *diff.new):
        pct = change.change_pct
        old = f"${change.old_price_usd:,.2f}" if change.old_price_usd is not None else "—"
        rows.append(
            f"<tr><td>{change.status}</td><td>{escape(change.target.name)}</td>"
            f"<td>{escape(change.item.condition)}</td>"
            f"<td align=right>{old}</td><td align=right>${change.item.price_usd:,.2f}</td>"
            f"<td align=right>{'' if pct is None else f'{pct:+.1f} %'}</td></tr>"
        )
    # names from the feed are text, never markup
    unknown = "".join(f"<li>{escape(u.item.name)}</li>" for u in diff.unknown)
    warnings = "".join(f"<li>{escape(w)}</li>" for w in diff.warnings())
    return (
        f"<p><b>{diff.summary()}</b></p>"
        + (f"<p style='color:#C0392B'><b>Check these before applying:</b></p><ul>{warnings}</ul>"
           if warnings else "")
        + f"<table cellspacing=6><tr><th>status</th><th>item</th><th>condition</th>"
        f"<th>old [USD]</th><th>new [USD]</th><th>change</th></tr>{''.join(rows)}</table>"
        + (f"<p>Unknown names (not applied; map them with the CLI):</p><ul>{unknown}</ul>" if unknown else "")
    )


class PricesDialog(QDialog):
    """Attributes for tests: location, check_button, apply_button, report, panel, preview."""

    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Update prices from a feed")
        self.store = store
        self.preview: Any = None
        self.location = QLineEdit()
        self.location.setPlaceholderText("https://… price feed, a stored source name, or a .json/.csv file")
        browse = QPushButton("File…")
        browse.clicked.connect(self._browse)
        self.check_button = QPushButton("Check")
        self.check_button.setToolTip("Fetch and validate the feed; shows the changes, writes nothing")
        self.check_button.clicked.connect(self.check)
        self.apply_button = QPushButton("Apply")
        self.apply_button.setToolTip("Append the checked prices as one import batch (can be rolled back)")
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self.apply)
        row = QHBoxLayout()
        for w in (self.location, browse, self.check_button, self.apply_button):
            row.addWidget(w)
        row.setStretch(0, 1)
        self.panel = ProgressPanel()
        self.report = QTextBrowser()
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.panel)
        lay.addWidget(self.report, 1)
        self.panel.failed.connect(self._failed)
        self._then: Any = None  # what to do with the running step's result
        self.panel.finished.connect(lambda result: self._then(result) if self._then is not None else None)
        self.resize(800, 520)

    def _failed(self, message: str) -> None:
        self.report.setText(message)
        show_error(self, "Prices", message)
        self._then = None

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Price feed", "", "Price feeds (*.json *.csv)")
        if path:
            self.location.setText(path)

    def check(self) -> None:
        store, location = self.store, self.location.text().strip()
        self.apply_button.setEnabled(False)
        self.preview = None
        self._then = self._checked
        self.panel.run("Checking…", lambda progress: prices.preview_feed(store, location, progress))

    def _checked(self, preview: Any) -> None:
        self._then = None
        self.preview = preview
        if preview.diff is None:
            self.report.setText("Not modified since the last update: nothing to apply.")
            return
        self.report.setHtml(diff_html(preview.diff))
        self.apply_button.setEnabled(bool(preview.diff.to_apply))

    def apply(self) -> None:
        store, preview = self.store, self.preview
        self.apply_button.setEnabled(False)
        self._then = self._applied
        self.panel.run("Applying…", lambda progress: prices.apply_feed(store, preview, progress))

    def _applied(self, result: Any) -> None:
        self._then = None
        self.report.append(
            f"<p><b>Applied:</b> {result.points_added} price points in batch {result.batch_id} "
            f"(undo: <code>python main.py prices rollback {result.batch_id}</code>)</p>"
        )
