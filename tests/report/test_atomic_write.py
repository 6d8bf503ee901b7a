"""The PDF appears complete or not at all; an unwritable target is a clear InputError, nothing left behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from advisor.errors import InputError
from advisor.report import build_report
from tests.report.sample import SampleScenario, sample_recommendation


def _build(path: Path, **kwargs: object) -> Path:
    return build_report(sample_recommendation(), SampleScenario("Atomic"), path, **kwargs)  # type: ignore[arg-type]


def test_missing_folder_is_input_error_naming_it(tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "r.pdf"
    with pytest.raises(
        InputError, match=r"output: cannot write .*r\.pdf: folder .*no-such-dir does not exist"
    ):
        _build(target)
    assert not target.parent.exists()


def test_parent_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    with pytest.raises(InputError, match="is not a folder"):
        _build(tmp_path / "plain" / "r.pdf")


def test_target_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        _build(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_cancel_midway_leaves_old_file_untouched_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "r.pdf"
    target.write_bytes(b"previous report")

    def cancel(fraction: float, stage: str) -> None:
        if stage == "page 3":
            raise KeyboardInterrupt("user cancelled")

    with pytest.raises(KeyboardInterrupt):
        _build(target, progress_callback=cancel)
    assert target.read_bytes() == b"previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]


def test_success_replaces_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "r.pdf"
    target.write_bytes(b"previous report")
    assert _build(target) == target
    assert target.read_bytes().startswith(b"%PDF-")
    assert target.read_bytes().rstrip().endswith(b"%%EOF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]


def test_read_only_folder_gives_clear_error_and_leaves_nothing(tmp_path: Path) -> None:
    """A real read-only folder. Root ignores mode bits, so as root a forked child drops to `nobody` first."""
    _build(tmp_path / "warm.pdf")  # load every module now: the unprivileged child cannot read /root
    folder = Path(tempfile.mkdtemp(prefix="rig-ro-", dir="/tmp"))
    folder.chmod(0o555)
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
        if pid == 0:  # child: never returns into pytest
            code = 1
            try:
                if os.geteuid() == 0:
                    os.setgid(65534)
                    os.setuid(65534)
                _build(folder / "r.pdf")
            except InputError as exc:
                os.write(write_end, str(exc).encode())
                code = 2
            except BaseException as exc:  # report anything else to the parent
                os.write(write_end, repr(exc).encode())
            os._exit(code)
        os.close(write_end)
        _, status = os.waitpid(pid, 0)
        message = os.read(read_end, 4096).decode()
        assert os.waitstatus_to_exitcode(status) == 2, message
        assert message.startswith("output: cannot write") and "Permission denied" in message, message
        assert list(folder.iterdir()) == []
    finally:
        os.close(read_end)
        folder.chmod(0o755)
        shutil.rmtree(folder)
