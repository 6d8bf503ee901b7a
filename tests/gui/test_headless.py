"""`python main.py --smoke` and `--screenshot FILE` run the real app in a subprocess and exit 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_smoke_exits_zero() -> None:
    done = _run("--smoke")
    assert done.returncode == 0, done.stderr


def test_screenshot_of_a_page_is_1400x900(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    done = _run("--screenshot", str(out), "--page", "Quick check")
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 900)


def test_screenshot_size_option(tmp_path: Path) -> None:
    out = tmp_path / "small.png"
    done = _run("--screenshot", str(out), "--page", "Scenarios", "--size", "1280x800")
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    bad = _run("--screenshot", str(tmp_path / "y.png"), "--size", "wide")
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == ["error: --size: 'wide': give WIDTHxHEIGHT in pixels, width 320-7680 and "
                                                "height 240-4320, e.g. 1280x800"]
    assert not (tmp_path / "y.png").exists()


def test_screenshot_unknown_page_is_bad_input(tmp_path: Path) -> None:
    done = _run("--screenshot", str(tmp_path / "x.png"), "--page", "Nope")
    assert done.returncode == 2
    assert "--page" in done.stderr and "Scenarios" in done.stderr
    assert not (tmp_path / "x.png").exists()


def test_screenshot_onto_a_folder_is_bad_input_not_internal_error(tmp_path: Path) -> None:
    """QA: `--screenshot DIR` crashed with IsADirectoryError (exit 1); it is a bad path: exit 2, one line."""
    done = _run("--screenshot", str(tmp_path))
    assert done.returncode == 2, done.stderr
    assert "--screenshot: is a directory" in done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_window_modules_are_imported_only_after_the_store_thread_is_done() -> None:
    """QA: `--screenshot` failed once in a full run with "ImportError: cannot import name 'import_string' from
    partially initialized module 'pydantic...'": the store thread and the main thread imported pydantic at the
    same time. build_window now waits for the store before importing the window (checked in a fresh process)."""
    code = (
        "import sys\n"
        "from concurrent.futures import Future\n"
        "from ui.app import build_window\n"
        "f = Future(); f.set_exception(RuntimeError('store failed'))\n"
        "try:\n"
        "    build_window(None, f)\n"
        "except RuntimeError:\n"
        "    pass\n"
        "print('ui.main_window' in sys.modules, 'pydantic' in sys.modules)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
