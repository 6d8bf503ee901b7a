"""Candidates table (issue 14 items 5 and 7): rows that do not fit show the reason, not speeds; the
purchase figures are on screen at 1280 px; the arrow keys move the plots' focus as clicks do."""

from __future__ import annotations

from PySide6.QtCore import Qt

from advisor.app.store import MemoryStore
from ui.main_window import MainWindow
from ui.models.candidates_model import COLUMNS, NOT_COSTED, STATUS_COLUMN
from ui.pages.quick_check import QuickCheckPage
from ui.pages.scenario_page import ScenarioPage

TEAM = "Team coding assistant (70B)"
HEADERS = [h for h, _, _ in COLUMNS]


def col(header_start: str) -> int:
    return next(i for i, h in enumerate(HEADERS) if h.startswith(header_start))


def _page(qtbot, store: MemoryStore) -> ScenarioPage:  # type: ignore[no-untyped-def]
    page = ScenarioPage(store)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.recomputed, timeout=10000):
        assert page.open_scenario(TEAM)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    return page


def _cell(page: ScenarioPage, row: int, column: int) -> str:
    return str(page.proxy.data(page.proxy.index(row, column)))


def test_rows_that_do_not_fit_show_the_reason_instead_of_speeds(qtbot, sample_store: MemoryStore) -> None:
    page = _page(qtbot, sample_store)
    rec = page.result.recommendation
    unfit = [c for c in rec.candidates if not c.fits]
    assert unfit  # the sample Team scenario has setups that cannot hold the 70B model
    per_user, aggregate, horizon = col("Per user"), col("Aggregate"), col("Horizon")
    seen_unfit = 0
    for row in range(page.proxy.rowCount()):
        status = _cell(page, row, STATUS_COLUMN)
        if status.startswith("does not fit"):
            seen_unfit += 1
            assert _cell(page, row, per_user) == NOT_COSTED
            assert _cell(page, row, aggregate) == NOT_COSTED
            assert _cell(page, row, horizon) == NOT_COSTED
            assert "GB" in status  # the engine's reason: what it needs against what is usable
        else:
            assert float(_cell(page, row, per_user)) > 0
    assert seen_unfit == len(unfit)
    # "24 GB card needs 42 GB of weights": the 4090's own reason, word for word from the estimate
    row4090 = next(
        r
        for r in range(page.proxy.rowCount())
        if _cell(page, r, 0) == "1x RTX 4090 desktop" and _cell(page, r, 1) == "Q4_K_M"
    )
    assert _cell(page, row4090, STATUS_COLUMN) == (
        "does not fit: needs 42 GB of weights; GeForce RTX 4090 offers 25 GB usable"
    )


def test_arrow_keys_move_the_plot_focus(qtbot, sample_store: MemoryStore) -> None:
    page = _page(qtbot, sample_store)
    page.table.setFocus()
    start = page.table.currentIndex().row()
    assert start == 0
    with qtbot.waitSignal(page.recomputed, timeout=10000):
        qtbot.keyClick(page.table, Qt.Key.Key_Down)
    row = page.table.currentIndex().row()
    assert row == 1
    name, quant = _cell(page, 1, 0), _cell(page, 1, 1)
    assert page.focus_id is not None and page.focus_id.endswith(f"|{quant}")
    assert page.result.focus_id == page.focus_id
    assert name in page.throughput_plot.title.text()
    # Ctrl+End: the last ranked row cannot hold the model; the throughput plot says why and draws no curve,
    # and the row stays selected (an unfit setup has nothing to recompute)
    qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    last = page.proxy.rowCount() - 1
    assert page.table.currentIndex().row() == last
    assert _cell(page, last, STATUS_COLUMN).startswith("does not fit")
    assert _points(page.throughput_plot.decode) == 0
    assert page.throughput_plot.empty.toPlainText().startswith("Does not fit, so no speed: needs")
    # an edit recomputes; the picked row stays selected and still explains itself
    with qtbot.waitSignal(page.recomputed, timeout=10000):
        page.inputs.workload_form.widgets["hours_per_day"].setValue(12)
    assert page.table.currentIndex().row() == last
    assert page.throughput_plot.empty.toPlainText().startswith("Does not fit")
    # back to the top row: its curve is drawn again
    qtbot.keyClick(page.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert page.table.currentIndex().row() == 0
    qtbot.waitUntil(lambda: _points(page.throughput_plot.decode) > 0, timeout=10000)
    assert page.throughput_plot.empty.toPlainText() == ""


def test_purchase_figures_on_screen_at_1280_and_more_rows(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    for width, height, rows_wanted in ((1280, 800, 5), (1600, 1000, 9)):
        window = MainWindow(db_store)  # settings: this test's private data dir
        qtbot.addWidget(window)
        page = window.scenario_page
        with qtbot.waitSignal(page.recomputed, timeout=20000):
            assert page.open_scenario("24/7 batch summarisation")
        window.resize(width, height)
        window.show()
        qtbot.waitExposed(window)
        qtbot.wait(50)
        table = page.table
        visible_px = table.viewport().width()
        for header in ("Candidate", "Quant", "Break-even", "Horizon cost", "Capex"):
            c = col(header)
            right = table.columnViewportPosition(c) + table.columnWidth(c)
            assert 0 <= table.columnViewportPosition(c) and right <= visible_px, (
                width,
                header,
                right,
                visible_px,
            )
        fully_visible = sum(
            1
            for r in range(page.proxy.rowCount())
            if 0 <= table.rowViewportPosition(r)
            and table.rowViewportPosition(r) + table.rowHeight(r) <= table.viewport().height()
        )
        assert fully_visible >= rows_wanted, (width, fully_visible)
        window.close()


def test_quick_check_does_not_fit_shows_no_speed(qtbot, sample_store: MemoryStore) -> None:
    page = QuickCheckPage(sample_store)
    qtbot.addWidget(page)
    page.set_inputs("rtx-4090", 1, "llama-3.1-8b", "Q4_K_M", 8192)
    assert page.verdict.text().startswith("<b>FITS</b>")
    assert "tok/s per user" in page.details.text()
    assert _points(page.throughput_plot.decode) > 0
    # pick the 70B model the way a user does: the combo's index changes, the page recomputes
    page.model.setCurrentIndex(page.model.findData("llama-3.1-70b"))
    assert page.verdict.text().startswith("<b>DOES NOT FIT</b>")
    assert "tok/s" not in page.details.text()
    assert "prefill" not in page.details.text()
    assert "time to first token" not in page.details.text()
    assert _points(page.throughput_plot.decode) == 0
    assert _points(page.throughput_plot.prefill) == 0
    assert "needs 42 GB of weights" in page.throughput_plot.empty.toPlainText()


def _points(item) -> int:  # type: ignore[no-untyped-def]
    """Number of points a PlotDataItem draws (xData is None or an array)."""
    return 0 if item.xData is None else len(item.xData)


def test_candidate_and_quant_stay_on_screen_when_scrolled_sideways(qtbot, sample_store: MemoryStore) -> None:
    from PySide6.QtCore import QPoint

    page = _page(qtbot, sample_store)
    page.resize(900, 700)  # narrow: the figures need the horizontal scroll bar
    qtbot.wait(20)
    table = page.table
    bar = table.horizontalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    assert table.columnViewportPosition(0) < 0  # the main view's own name column scrolled away ...
    frozen = table.frozen
    assert frozen.isVisible()  # ... but the frozen copy shows candidate and quant at the left edge
    assert frozen.width() == table.columnWidth(0) + table.columnWidth(1)
    assert frozen.isColumnHidden(2) and not frozen.isColumnHidden(1)
    row2 = QPoint(5, frozen.rowViewportPosition(2) + frozen.rowHeight(2) // 2)
    assert frozen.indexAt(row2).data() == _cell(page, 2, 0)
    # a click on a frozen name selects that row in the shared selection, and the plots follow
    with qtbot.waitSignal(page.recomputed, timeout=10000):
        qtbot.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=row2)
    assert table.currentIndex().row() == 2
    assert page.focus_id is not None and page.focus_id.endswith("|" + _cell(page, 2, 1))


def test_verdict_banner_shows_the_headline_and_expands_on_more(qtbot, db_store) -> None:  # type: ignore[no-untyped-def]
    page = ScenarioPage(db_store)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.recomputed, timeout=20000):
        assert page.open_scenario("24/7 batch summarisation")
    sentence = page.result.recommendation.sentence
    assert "The API figure is" in sentence  # the engine's second sentence, about the offers compared
    short = page.verdict.text()
    assert "The API figure is" not in short and "href='more'" in short
    assert page.verdict.toolTip() == sentence  # the whole text is one hover away
    page.verdict.linkActivated.emit("more")
    assert "The API figure is" in page.verdict.text() and "href='less'" in page.verdict.text()
    page.verdict.linkActivated.emit("less")
    assert page.verdict.text() == short


def test_split_headline_keeps_figures_whole() -> None:
    from ui.pages.scenario_page import split_headline

    head, rest = split_headline("Buy 2x RTX 3090 (used): x0.5 demand costs $8,361.5 more. The API figure is cheap.")
    assert head == "Buy 2x RTX 3090 (used): x0.5 demand costs $8,361.5 more."
    assert rest == "The API figure is cheap."
    assert split_headline("One sentence only.") == ("One sentence only.", "")
