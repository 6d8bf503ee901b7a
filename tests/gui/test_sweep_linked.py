"""Sweep results (issue 14 item 10): a sortable table of every configuration, linked to the Pareto plot:
hovering a point names it, clicking a point selects its row, a row rings its point, the front is marked."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from advisor.app.state import snapshot_from_record
from advisor.app.store import MemoryStore
from ui.dialogs.sweep_dialog import SweepDialog
from ui.models.sweep_model import COLUMNS, POINT_ROLE

HEADERS = [h for h, _, _ in COLUMNS]


def _dialog(qtbot, store: MemoryStore) -> SweepDialog:  # type: ignore[no-untyped-def]
    dialog = SweepDialog(store, snapshot_from_record(store.records("scenarios")[0]))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.progress.finished, timeout=20000):
        dialog.start()
    qtbot.wait(20)
    return dialog


def _column(dialog: SweepDialog, header: str) -> list[str]:
    c = HEADERS.index(header)
    return [str(dialog.proxy.data(dialog.proxy.index(r, c))) for r in range(dialog.proxy.rowCount())]


def test_table_lists_every_configuration_and_marks_the_front(qtbot, sample_store: MemoryStore) -> None:
    dialog = _dialog(qtbot, sample_store)
    result = dialog.sweep_result
    assert result is not None and result.front
    assert dialog.proxy.rowCount() == len(result.points)
    assert _column(dialog, "Pareto").count("front") == len(result.front)
    costs = [float(v.replace(",", "")) for v in _column(dialog, "Horizon cost [USD]")]
    assert costs == sorted(costs)  # cheapest first until the user sorts otherwise
    for r in range(dialog.proxy.rowCount()):
        on_front = dialog.proxy.data(dialog.proxy.index(r, HEADERS.index("Pareto"))) == "front"
        font = dialog.proxy.data(dialog.proxy.index(r, 0), Qt.ItemDataRole.FontRole)
        assert (font is not None and font.bold()) == on_front


def test_clicking_a_header_sorts(qtbot, sample_store: MemoryStore) -> None:
    dialog = _dialog(qtbot, sample_store)
    header = dialog.table.horizontalHeader()
    c = HEADERS.index("Per user [tok/s]")
    centre = header.sectionViewportPosition(c) + header.sectionSize(c) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(centre, 5))
    speeds = [float(v) for v in _column(dialog, "Per user [tok/s]")]
    assert speeds in (sorted(speeds), sorted(speeds, reverse=True)) and speeds != [speeds[0]] * len(speeds)


def _send_mouse(widget, kind: QEvent.Type, pos: QPointF) -> None:  # type: ignore[no-untyped-def]
    event = QMouseEvent(
        kind,
        pos,
        QPointF(widget.mapToGlobal(pos.toPoint())),
        Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton if kind == QEvent.Type.MouseButtonPress else Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def test_hover_and_click_a_point_select_its_row(qtbot, sample_store: MemoryStore) -> None:
    dialog = _dialog(qtbot, sample_store)
    result = dialog.sweep_result
    assert result is not None
    target = result.front[-1]  # the fastest front point
    plot = dialog.plot
    at = QPointF(plot.plot.mapFromScene(plot.scene_pos_of(target)))
    viewport = plot.plot.viewport()
    _send_mouse(viewport, QEvent.Type.MouseMove, at)
    assert plot.hover_label.isVisible()
    assert plot.hover_label.toPlainText().startswith(result.points[target].name)
    _send_mouse(viewport, QEvent.Type.MouseButtonPress, at)
    _send_mouse(viewport, QEvent.Type.MouseButtonRelease, at)
    current = dialog.table.currentIndex()
    assert current.isValid() and dialog.proxy.data(current, POINT_ROLE) == target
    assert plot.selected_index == target
    QApplication.sendEvent(viewport, QEvent(QEvent.Type.Leave))
    assert not plot.hover_label.isVisible()


def test_selecting_a_row_rings_its_point(qtbot, sample_store: MemoryStore) -> None:
    dialog = _dialog(qtbot, sample_store)
    result = dialog.sweep_result
    assert result is not None
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)  # the dearest row
    index = dialog.proxy.data(dialog.table.currentIndex(), POINT_ROLE)
    point = result.points[index]
    assert dialog.plot.selected.data["x"].tolist() == [point.tok_s_per_user]
    assert dialog.plot.selected.data["y"].tolist() == [math.log10(point.horizon_cost_usd)]


def test_sweep_model_passes_qtmodeltester(qtmodeltester, sample_store: MemoryStore) -> None:  # type: ignore[no-untyped-def]
    from advisor.app.sweep import run_sweep
    from ui.models.sweep_model import SweepModel

    model = SweepModel()
    model.set_result(run_sweep(sample_store.catalog(), snapshot_from_record(sample_store.records("scenarios")[0])))
    assert model.rowCount() > 0
    qtmodeltester.check(model)
