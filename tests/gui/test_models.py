"""Every Qt item model passes pytest-qt's qtmodeltester (the Qt model consistency checks)."""

from __future__ import annotations

import pytest

from advisor.app import scenarios
from advisor.app.state import snapshot_from_record
from advisor.app.store import RECORD_TYPES, MemoryStore
from ui.models.candidates_model import CandidatesModel
from ui.models.dict_table import DictTableModel
from ui.models.record_table import RecordTableModel


@pytest.mark.parametrize("kind", sorted(RECORD_TYPES))
def test_record_table_model(qtmodeltester, sample_store: MemoryStore, kind: str) -> None:
    model = RecordTableModel(kind, edit_handler=lambda rec, field, text: False)
    model.set_records(sample_store.records(kind))
    assert model.rowCount() == len(sample_store.records(kind)) > 0
    qtmodeltester.check(model)


def test_candidates_model(qtmodeltester, sample_store: MemoryStore) -> None:
    snap = snapshot_from_record(sample_store.records("scenarios")[0])
    rec = scenarios.recommend(sample_store.catalog(), snap)
    model = CandidatesModel()
    model.set_rows(rec.candidates)
    assert model.rowCount() == len(rec.candidates) > 0
    qtmodeltester.check(model)


def test_dict_table_model(qtmodeltester, sample_store: MemoryStore) -> None:
    model = DictTableModel([("item", "item"), ("price_usd", "price [USD]")])
    model.set_rows(sample_store.price_history())
    assert model.rowCount() == 7  # the sample: 6 hardware price points + 1 host
    qtmodeltester.check(model)
