"""Tools > Price feed sources: add / edit / enable / remove sources with validation, and "Check now" against a
real HTTP server on loopback, on a real SQLite database."""

from __future__ import annotations

import json

from pytest_httpserver import HTTPServer

from advisor import db
from advisor.feeds import get_source, list_sources
from ui.dialogs.sources_dialog import SourcesDialog

FEED = {
    "format": "rig-advisor-prices/1",
    "publisher": "Team desk",
    "published_at": "2026-11-02",
    "items": [
        {
            "kind": "hardware",
            "name": "GeForce RTX 4090",
            "price": 1650,
            "condition": "used",
            "vendor": "Team desk",
            "observed_at": "2026-11-02",
        }
    ],
}


def _cells(dialog: SourcesDialog, column: str) -> list[object]:
    return [dialog.model.row_dict(r)[column] for r in range(dialog.model.rowCount())]


def test_sources_add_validate_edit_toggle_remove(qtbot, db_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog = SourcesDialog(db_store)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0 and not dialog.edit_button.isEnabled()
    form = dialog.add()
    qtbot.addWidget(form)
    form.name.setText("team")
    for bad, reason in (
        ("ftp://example.org/p.json", "ftp"),
        (str(tmp_path / "missing.json"), "no such file"),
    ):
        form.location.setText(bad)
        assert not form.submit()
        assert reason in form.error.text()
        assert list_sources(db_store.engine) == []  # nothing written
    feed = tmp_path / "prices.json"
    feed.write_text(json.dumps(FEED), encoding="utf-8")
    form.location.setText(str(feed))
    form.priority.setValue(3)
    assert form.submit()
    assert _cells(dialog, "name") == ["team"] and _cells(dialog, "priority") == [3]
    assert _cells(dialog, "last_checked") == ["never"]
    # a second source with the same name is refused by the core, with its reason at the form
    dup = dialog.add()
    qtbot.addWidget(dup)
    dup.name.setText("team")
    dup.location.setText("https://example.org/prices.json")
    assert not dup.submit() and "already exists" in dup.error.text()
    dialog.select("team")
    edit = dialog.edit()
    assert edit is not None
    qtbot.addWidget(edit)
    assert edit.location.text() == str(feed)
    edit.location.setText("https://prices.example.org/team.json")
    edit.priority.setValue(7)
    assert edit.submit()
    assert _cells(dialog, "url") == ["https://prices.example.org/team.json"]
    assert _cells(dialog, "priority") == [7]
    assert dialog.toggle_button.text() == "Disable"
    dialog.toggle_button.click()
    assert _cells(dialog, "enabled") == ["no"] and not get_source(db_store.engine, "team").enabled
    assert dialog.toggle_button.text() == "Enable"
    dialog.toggle_button.click()
    assert _cells(dialog, "enabled") == ["yes"]
    dialog.remove_button.click()
    assert dialog.model.rowCount() == 0 and list_sources(db_store.engine) == []


def test_check_now_fetches_applies_and_shows_etag(qtbot, db_store, httpserver: HTTPServer) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/team.json").respond_with_data(
        json.dumps(FEED), content_type="application/json", headers={"ETag": '"v1"'}
    )
    from advisor.feeds import add_source

    add_source(db_store.engine, "team", httpserver.url_for("/team.json"), priority=1)
    dialog = SourcesDialog(db_store)
    qtbot.addWidget(dialog)
    dialog.select("team")
    before = len(db.get_record(db_store.engine, "hardware", "rtx-4090").prices)
    prices = dialog.check_now()
    qtbot.addWidget(prices)
    qtbot.waitUntil(lambda: prices.panel.state in ("done", "failed"), timeout=20000)
    assert prices.panel.state == "done"
    assert "1,650.00" in prices.report.toPlainText()
    assert (
        len(db.get_record(db_store.engine, "hardware", "rtx-4090").prices) == before
    )  # check writes nothing
    with qtbot.waitSignal(prices.panel.finished, timeout=20000):
        prices.apply()
    assert len(db.get_record(db_store.engine, "hardware", "rtx-4090").prices) == before + 1
    assert _cells(dialog, "etag") == ['"v1"']
    assert _cells(dialog, "last_checked") != ["never"]
