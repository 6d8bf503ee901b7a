"""`python main.py report`: exit codes and messages of the real command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def test_missing_output_folder_exits_2_before_any_work(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "r.pdf"
    result = _cli("report", "--scenario", "whatever", "-o", str(target))
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == (
        f"error: output: cannot write {target}: folder {target.parent} does not exist"
    )
    assert not target.parent.exists()


def test_output_is_a_directory_exits_2(tmp_path: Path) -> None:
    result = _cli("report", "--scenario", "whatever", "-o", str(tmp_path))
    assert result.returncode == 2
    assert "is a directory; give a file name such as report.pdf" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_output_is_required() -> None:
    result = _cli("report", "--scenario", "whatever")
    assert result.returncode == 2  # argparse usage error
    assert "-o/--output" in result.stderr


def test_set_changes_the_report_as_it_changes_recommend(tmp_path: Path) -> None:
    import json
    import shutil

    name = "8-seat team assistant"
    out = tmp_path / "flat.pdf"
    result = _cli("report", "--scenario", name, "-o", str(out), "--set", "finance.resale_model=flat")
    assert result.returncode == 0, result.stderr
    rec = json.loads(_cli("recommend", "--scenario", name, "--set", "finance.resale_model=flat", "--json").stdout)
    assert result.stdout.strip().endswith(rec["sentence"])  # the same answer as `recommend --set`
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "Resale: flat, 20%" in " ".join(text.split())
    bad = _cli("report", "--scenario", name, "-o", str(tmp_path / "x.pdf"), "--set", "finance.resale_model=zz")
    assert bad.returncode == 2 and bad.stderr.startswith("error: finance.resale_model: must be one of")
    assert not (tmp_path / "x.pdf").exists()
