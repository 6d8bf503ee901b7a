"""Where things live: the bundled resources and the user's data directory (platformdirs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "rig-advisor"


def resources_dir() -> Path:
    """The `resources/` folder, also inside a PyInstaller bundle (sys._MEIPASS)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def catalog_dir() -> Path:
    return resources_dir() / "catalog"


def user_data_dir() -> Path:
    """The user's data dir; RIG_ADVISOR_DATA_DIR overrides it (tests, portable installs)."""
    override = os.environ.get("RIG_ADVISOR_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a bad RIG_ADVISOR_DATA_DIR is the user's setting: exit 2 naming it, not a crash
        from advisor.errors import InputError

        what = "RIG_ADVISOR_DATA_DIR" if override else "data directory"
        reason = "is a file, not a directory" if path.exists() else f"cannot be created: {exc.strerror or exc}"
        raise InputError(f"{path} {reason}", what) from exc
    return path
