"""Mouse-wheel guard: spin boxes and combo boxes change their value on the wheel only when they have focus.

Without it, scrolling a long form with the wheel changes whichever field passes under the pointer (three
notches turned "24 h/day" into 21 and, with live recompute, flipped the verdict). A guarded field that has no
focus hands the wheel event to the scroll area around it, which scrolls. Click or Tab into a field first, then the
wheel steps it as usual.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget

GUARDED = (QAbstractSpinBox, QComboBox)


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget) or watched.hasFocus():
            return False
        assert isinstance(event, QWheelEvent)
        area = _scroll_area_around(watched)
        if area is not None:
            # Forward explicitly: Qt propagates only spontaneous wheel events to parents, and a forwarded
            # copy scrolls the area the same way whether the event came from a mouse or from a test.
            # (to the viewport: a scroll area handles wheel events through its viewport)
            viewport = area.viewport()
            pos = viewport.mapFromGlobal(event.globalPosition())
            QApplication.sendEvent(
                viewport,
                QWheelEvent(
                    pos,
                    event.globalPosition(),
                    event.pixelDelta(),
                    event.angleDelta(),
                    event.buttons(),
                    event.modifiers(),
                    event.phase(),
                    event.inverted(),
                ),
            )
        return True  # the field itself never sees it


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


_GUARD: _WheelGuard | None = None


def guard_wheel(*widgets: QWidget) -> None:
    """Guard these widgets and every spin box / combo box inside them (call after building a form)."""
    global _GUARD
    if _GUARD is None:
        _GUARD = _WheelGuard()
    for root in widgets:
        targets = [root] if isinstance(root, GUARDED) else []
        for kind in GUARDED:
            targets.extend(root.findChildren(kind))  # type: ignore[arg-type]
        for w in targets:
            # StrongFocus: Tab and click give focus, the wheel alone does not (the default WheelFocus would)
            w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            w.removeEventFilter(_GUARD)
            w.installEventFilter(_GUARD)
