"""The app's settings, declared once with types and defaults, stored in an INI file in the user data dir.

Using a file under advisor.paths.user_data_dir() (not the platform registry) keeps tests private: every
test gets its own RIG_ADVISOR_DATA_DIR.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from advisor.paths import user_data_dir


class Settings:
    """Typed accessors: geometry, window_state, last_scenario, last_page."""

    def __init__(self) -> None:
        self._q = QSettings(str(user_data_dir() / "ui.ini"), QSettings.Format.IniFormat)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._q.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._q.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._q.setValue("window/state", value)

    @property
    def last_scenario(self) -> str:
        return str(self._q.value("session/last_scenario", "") or "")

    @last_scenario.setter
    def last_scenario(self, value: str) -> None:
        self._q.setValue("session/last_scenario", value)

    @property
    def last_page(self) -> str:
        return str(self._q.value("session/last_page", "Scenarios") or "Scenarios")

    @last_page.setter
    def last_page(self, value: str) -> None:
        self._q.setValue("session/last_page", value)

    def sync(self) -> None:
        self._q.sync()
