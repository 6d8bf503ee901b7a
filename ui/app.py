"""Start the desktop app, or run one of its headless checks (`--smoke`, `--screenshot FILE`).

`run_app` is what `python main.py` (no subcommand) calls; it returns the process exit code.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
SCREENSHOT_SIZE = (1400, 900)
RESULT_TIMEOUT_MS = 15000  # headless runs wait this long for the first scenario result


def _ensure_platform(headless: bool) -> None:
    # Without a display Qt aborts the process; headless checks fall back to the offscreen platform.
    if (
        headless
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and sys.platform.startswith("linux")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def create_application() -> object:
    """The QApplication (created once), named for QSettings."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Rig Advisor")
    app.setOrganizationName("rig-advisor")
    # plot colours follow the palette: set by the first plot made (ui.plots.base), so pyqtgraph is not
    # imported before the window shows
    return app


def start_store_opening() -> Future[Any]:
    """Open the catalog store on a helper thread (database migrate + seed check take ~0.5-1 s) while the
    main thread imports Qt and pyqtgraph; build_window then waits for it."""
    from concurrent.futures import ThreadPoolExecutor

    # Import the database stack (sqlmodel, pydantic, alembic) HERE, on the main thread: pydantic loads its
    # submodules lazily, and two threads doing that at once can see a half-initialised module ("cannot
    # import name 'import_string' from partially initialized module"; a flaky exit 1 in CI). The helper
    # thread then only does the database I/O (migration check, seed check).
    import advisor.app.store  # noqa: F401

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="open-store")

    def work() -> Any:
        from advisor.app.store import open_store

        return open_store()

    future = pool.submit(work)
    pool.shutdown(wait=False)
    return future


def build_window(scenario: str | None = None, store_future: Future[Any] | None = None) -> object:
    """The main window with a scenario opened: `scenario`, else the last one used, else the first example."""
    from advisor.errors import InputError

    # Wait for the helper thread before importing the window's modules: both sides import pydantic/sqlmodel,
    # and two threads importing one package with circular imports can see it half-initialised
    # ("cannot import name 'import_string' from partially initialized module", seen as a flaky exit 1).
    if store_future is not None:
        store = store_future.result()
    else:
        from advisor.app.store import open_store

        store = open_store()
    from ui.main_window import MainWindow

    window = MainWindow(store)
    names = window.scenario_page.scenario_names()
    if scenario is not None:
        if not window.scenario_page.open_scenario(scenario):
            raise InputError(
                f"no scenario named {scenario!r} (known: {', '.join(names) or 'none'})", field="--scenario"
            )
    elif not (
        window.settings.last_scenario and window.scenario_page.open_scenario(window.settings.last_scenario)
    ):
        if names:
            window.scenario_page.open_scenario(names[0])
    return window


def wait_for_result(window: object, timeout_ms: int = RESULT_TIMEOUT_MS) -> bool:
    """Process events until the Scenarios page has shown a result or an error (True) or the timeout (False)."""
    from PySide6.QtCore import QEventLoop, QTimer

    page = window.scenario_page  # type: ignore[attr-defined]
    if page.result is not None:
        return True
    loop = QEventLoop()
    outcome = {"ok": False}

    def finish(ok: bool) -> None:
        outcome["ok"] = ok
        loop.quit()

    page.recomputed.connect(lambda _r: finish(True))
    page.recomputer.error.connect(lambda _m: finish(True))
    QTimer.singleShot(timeout_ms, lambda: finish(False))
    page.request_recompute(immediate=True)
    loop.exec()
    return outcome["ok"]


def parse_size(text: str | None) -> tuple[int, int]:
    """ "1280x800" -> (1280, 800); None -> the default screenshot size. A bad value is an InputError."""
    from advisor.errors import InputError

    if text is None:
        return SCREENSHOT_SIZE
    width, sep, height = text.lower().partition("x")
    if (
        not sep
        or not width.isdigit()
        or not height.isdigit()
        or not (320 <= int(width) <= 7680)
        or not (240 <= int(height) <= 4320)
    ):
        raise InputError(f"{text!r}: give WIDTHxHEIGHT in pixels, width 320-7680 and height 240-4320, "
                         "e.g. 1280x800", field="--size")
    return int(width), int(height)


def render_screenshot(
    window: object, path: str, page: str | None = None, size: tuple[int, int] = SCREENSHOT_SIZE
) -> Path:
    """Render the window at `size` (default 1400x900) to a PNG (written to a temp name, then renamed)."""
    from PySide6.QtWidgets import QApplication

    from advisor.errors import InputError

    w = window  # type: ignore[assignment]
    if page is not None and not w.show_page(page):  # type: ignore[attr-defined]
        from ui.main_window import PAGES

        raise InputError(f"no page {page!r} (pages: {', '.join(PAGES)})", field="--page")
    w.resize(*size)  # type: ignore[attr-defined]
    w.show()  # type: ignore[attr-defined]
    wait_for_result(w)
    for _ in range(5):  # let layouts, plots and lazily built pages settle
        QApplication.processEvents()
        time.sleep(0.05)
    target = Path(path)
    # a bad output path is the user's input: one line naming it, exit 2 (not an internal error)
    if target.is_dir():
        raise InputError("is a directory; give a file name such as shot.png", field="--screenshot")
    if not target.parent.is_dir():  # a typo in the folder must not create a tree of folders
        raise InputError(f"folder {target.parent} does not exist", field="--screenshot")
    tmp = target.with_name(target.name + ".tmp.png")
    if not w.grab().save(str(tmp), "PNG"):  # type: ignore[attr-defined]
        raise InputError(f"could not write {target}", field="--screenshot")
    os.replace(tmp, target)
    return target


def _tell_about_recovery(window: object) -> None:
    """If the default database was unusable and moved aside at start, say where it went (once, after the
    window shows). The CLI's stderr line has been printed already by advisor.db."""
    from advisor.app.store import recovery_message

    store = getattr(window, "store", None)
    message = recovery_message(store) if store is not None else None
    if message is None:
        return
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    QTimer.singleShot(
        0,
        lambda: QMessageBox.warning(window, "Database moved aside", message),  # type: ignore[arg-type]
    )


def run_app(
    smoke: bool = False,
    screenshot: str | None = None,
    scenario: str | None = None,
    page: str | None = None,
    size: str | None = None,
) -> int:
    """Open the desktop app; with smoke/screenshot run headless and return 0 when the window worked."""
    shot_size = parse_size(size)  # a bad --size is refused before any window opens
    _ensure_platform(headless=smoke or bool(screenshot))
    store_future = start_store_opening()
    app = create_application()
    headless = smoke or bool(screenshot)
    try:
        window = build_window(scenario, store_future)
    except Exception as exc:
        # A database that cannot be used (named in RIG_ADVISOR_DB_URL, unreachable server, ...): say why in
        # a dialog, not only on a terminal the user may not have; the CLI layer still prints it and exits 2.
        if not headless:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "Rig Advisor cannot start", str(exc))
        raise
    if not headless:
        _tell_about_recovery(window)
    if screenshot:
        render_screenshot(window, screenshot, page, shot_size)
        window.close()  # type: ignore[attr-defined]
        return 0
    if page:
        window.show_page(page)  # type: ignore[attr-defined]
    elif window.settings.last_page:  # type: ignore[attr-defined]
        window.show_page(window.settings.last_page)  # type: ignore[attr-defined]
    window.show()  # type: ignore[attr-defined]
    if smoke:
        ok = wait_for_result(window)
        app.processEvents()  # type: ignore[attr-defined]
        window.close()  # type: ignore[attr-defined]
        return 0 if ok else 1
    return int(app.exec())  # type: ignore[attr-defined]
