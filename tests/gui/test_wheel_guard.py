"""Scrolling the Scenarios inputs with the mouse wheel scrolls the column; it never edits the field under the
pointer unless that field has focus (issue 14, item 3)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from advisor.app.store import MemoryStore
from ui.pages.quick_check import QuickCheckPage
from ui.pages.scenario_page import ScenarioPage


def wheel(widget: QWidget, notches: int) -> None:
    """Turn the wheel `notches` down (negative) or up over the middle of `widget`, as a mouse does."""
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def _page(qtbot, store: MemoryStore) -> ScenarioPage:  # type: ignore[no-untyped-def]
    page = ScenarioPage(store)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.recomputed, timeout=10000):
        assert page.open_scenario("Team coding assistant (70B)")
    page.resize(1280, 700)  # short enough that the input column scrolls
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    return page


def test_wheel_over_unfocused_spin_box_scrolls_the_form(qtbot, sample_store: MemoryStore) -> None:
    page = _page(qtbot, sample_store)
    box = page.inputs.workload_form.widgets["hours_per_day"]
    before = box.value()
    bar = page.inputs.verticalScrollBar()
    assert bar.maximum() > 0  # the column does scroll at this height
    page.inputs.verticalScrollBar().setValue(0)
    page.table.setFocus()  # focus elsewhere, as after clicking the results
    assert not box.hasFocus()
    wheel(box, -3)
    assert box.value() == before  # the field kept its value ...
    assert page.state.workload.hours_per_day == before
    assert bar.value() > 0  # ... and the column scrolled instead


def test_wheel_over_unfocused_combo_keeps_the_model(qtbot, sample_store: MemoryStore) -> None:
    page = _page(qtbot, sample_store)
    combo = page.inputs.model_combo
    text = combo.currentText()
    page.table.setFocus()
    wheel(combo, -2)
    assert combo.currentText() == text
    wheel(page.scenario_combo, -1)
    assert page.scenario_combo.currentText() == "Team coding assistant (70B)"


def test_wheel_steps_a_focused_spin_box(qtbot, sample_store: MemoryStore) -> None:
    page = _page(qtbot, sample_store)
    box = page.inputs.workload_form.widgets["peak_concurrency"]
    before = box.value()
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    with qtbot.waitSignal(page.recomputed, timeout=10000):
        wheel(box, 2)
    assert box.value() == before + 2
    assert page.state.workload.peak_concurrency == before + 2


def test_quick_check_count_ignores_wheel_without_focus(qtbot, sample_store: MemoryStore) -> None:
    page = QuickCheckPage(sample_store)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.model.setFocus()
    wheel(page.count, 3)
    wheel(page.hardware, -1)
    assert page.count.value() == 1
    assert page.hardware.currentData() in ("rtx-4090", "rtx-5090")
