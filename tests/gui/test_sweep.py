"""Tools > Sweep runs in the background, reports progress, can be cancelled, and finds the Pareto front."""

from __future__ import annotations

import math

import pytest

from advisor.app.state import snapshot_from_record
from advisor.app.store import MemoryStore
from advisor.app.sweep import pareto_front, run_sweep
from advisor.progress import CancelFlag, Cancelled, cancellable
from ui.dialogs.sweep_dialog import SweepDialog, usd_ticks


def _snap(store: MemoryStore):  # type: ignore[no-untyped-def]
    return snapshot_from_record(store.records("scenarios")[0])


def test_usd_ticks_1_2_5() -> None:
    ticks = usd_ticks(8_354, 339_184)
    assert [t for _, t in ticks] == ["$5k", "$10k", "$20k", "$50k", "$100k", "$200k", "$500k"]
    assert ticks[1][0] == pytest.approx(4.0)


def test_pareto_front_known_points() -> None:
    # (cost, speed): (3, 15) is dominated by (2.5, 30); (2, 20) and (1, 10) are not
    assert pareto_front([1.0, 2.0, 3.0, 2.5], [10.0, 20.0, 15.0, 30.0]) == [0, 1, 3]


def test_run_sweep_core_cancels_through_callback(sample_store: MemoryStore) -> None:
    flag = CancelFlag()
    flag.cancel()
    with pytest.raises(Cancelled):
        run_sweep(sample_store.catalog(), _snap(sample_store), cancellable(flag))


def test_sweep_dialog_finishes_with_front(qtbot, sample_store: MemoryStore) -> None:
    dialog = SweepDialog(sample_store, _snap(sample_store))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.progress.finished, timeout=20000):
        dialog.start()
    result = dialog.sweep_result
    assert result is not None and result.front
    front = [result.points[i] for i in result.front]
    costs = [p.horizon_cost_usd for p in front]
    speeds = [p.tok_s_per_user for p in front]
    assert costs == sorted(costs) and speeds == sorted(speeds)  # cheaper is slower along the front
    assert dialog.plot.front_line.xData.tolist() == speeds
    # cost on a log10 axis (a desktop and an 8-GPU server differ ~40x), ticks in dollars
    assert dialog.plot.front_line.yData.tolist() == pytest.approx([math.log10(c) for c in costs])
    assert dialog.plot.labels and "$" in dialog.plot.labels[0].toPlainText()
    assert dialog.progress.bar.value() == 1000


def test_sweep_dialog_can_be_cancelled(qtbot, sample_store: MemoryStore) -> None:
    # 2,400 systems (~2.5 s of work on 2 cores): cancel lands long before the end even on a busy machine
    ids = [r.id for r in sample_store.records("systems")] * 400
    dialog = SweepDialog(sample_store, _snap(sample_store), system_ids=ids)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.progress.bar.value() > 0, timeout=20000)
    with qtbot.waitSignal(dialog.progress.cancelled, timeout=20000):
        dialog.progress.cancel()
    assert dialog.progress.state == "cancelled"
    assert dialog.sweep_result is None
    assert "cancelled" in dialog.summary.text().lower()
    # The work really stopped: a sweep that ran on to the end would have reported 100 % before the
    # cancelled signal (signals arrive in order), and nothing more arrives afterwards.
    stopped_at = dialog.progress.bar.value()
    assert 0 < stopped_at < 900
    qtbot.wait(300)
    assert dialog.progress.bar.value() == stopped_at
