"""The scenario being edited: one observable object, no Qt (STYLE practice 6).

Its `snapshot()` is the engine's one scenario type, `advisor.engine.scenario.Scenario`.

Widgets write to it (`update_workload(tokens_in_per_month=...)`) and listen to it (`subscribe`). Every change
bumps `revision`, so a background recompute can tell whether its result is still the latest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from advisor.engine.scenario import Scenario, scenario_from_json
from advisor.engine.types import Finance, Workload
from advisor.errors import InputError

Listener = Callable[[str], None]  # called with "workload" | "finance" | "candidates" | "api_offers" | "all"


def _replace_checked(obj: Any, changes: dict[str, Any]) -> Any:
    names = {f.name for f in dataclasses.fields(obj)}
    for key in changes:
        if key not in names:
            raise InputError("unknown field", field=key)
    return dataclasses.replace(obj, **changes)


@dataclass
class ScenarioState:
    """The observable scenario. Mutate only through the methods so listeners hear about it.

    Edits are recorded: `undo` / `redo` step through them (a load or a save starts a fresh history), and
    `dirty` says whether the inputs differ from the ones last loaded or saved (`mark_saved`).
    """

    name: str = "Untitled scenario"
    workload: Workload = field(default_factory=lambda: Workload(model=""))
    finance: Finance = field(default_factory=Finance)
    candidates: tuple[str, ...] = ()
    api_offers: tuple[str, ...] = ()
    description: str = ""
    revision: int = 0
    _listeners: list[Listener] = field(default_factory=list, repr=False)
    _saved: Scenario | None = field(default=None, repr=False)
    _undo: list[Scenario] = field(default_factory=list, repr=False)
    _redo: list[Scenario] = field(default_factory=list, repr=False)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _changed(self, what: str) -> None:
        self.revision += 1
        for listener in list(self._listeners):
            listener(what)

    def _edit(self, what: str, **values: Any) -> None:
        """Record the inputs as they were, then change them (a new edit clears the redo list)."""
        self._undo.append(self.snapshot())
        self._redo.clear()
        for key, value in values.items():
            setattr(self, key, value)
        self._changed(what)

    def update_workload(self, **changes: Any) -> None:
        new = _replace_checked(self.workload, changes)
        if new != self.workload:
            self._edit("workload", workload=new)

    def update_finance(self, **changes: Any) -> None:
        new = _replace_checked(self.finance, changes)
        if new != self.finance:
            self._edit("finance", finance=new)

    def set_candidates(self, ids: tuple[str, ...] | list[str]) -> None:
        ids = tuple(ids)
        if ids != self.candidates:
            self._edit("candidates", candidates=ids)

    def set_api_offers(self, ids: tuple[str, ...] | list[str]) -> None:
        ids = tuple(ids)
        if ids != self.api_offers:
            self._edit("api_offers", api_offers=ids)

    def _restore(self, snapshot: Scenario) -> None:
        self.name, self.description = snapshot.name, snapshot.description
        self.workload, self.finance = snapshot.workload, snapshot.finance
        self.candidates, self.api_offers = snapshot.candidates, snapshot.api_offers
        self._changed("all")

    def load(self, snapshot: Scenario) -> None:
        """Replace everything at once (open a scenario); listeners hear "all" once. Not dirty afterwards."""
        self._undo.clear()
        self._redo.clear()
        self._saved = snapshot
        self._restore(snapshot)

    # -- undo / redo and the saved state -------------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> bool:
        """Step back one edit; False when there is none."""
        if not self._undo:
            return False
        self._redo.append(self.snapshot())
        self._restore(self._undo.pop())
        return True

    def redo(self) -> bool:
        """Re-apply the last undone edit; False when there is none."""
        if not self._redo:
            return False
        self._undo.append(self.snapshot())
        self._restore(self._redo.pop())
        return True

    @property
    def dirty(self) -> bool:
        """True when the inputs differ from those last loaded or saved (an undo back to them is clean)."""
        if self._saved is None:  # nothing loaded yet: only edits make it worth saving
            return bool(self._undo)
        return self.snapshot() != self._saved

    def mark_saved(self, name: str | None = None) -> None:
        """The current inputs are now saved (under ``name``); listeners hear "saved"."""
        if name is not None:
            self.name = name
        self._saved = self.snapshot()
        for listener in list(self._listeners):
            listener("saved")

    def snapshot(self) -> Scenario:
        """The scenario as it is now (the revision it belongs to is `revision`)."""
        return Scenario(self.name, self.workload, self.finance, self.candidates, self.api_offers,
                        self.description)


def snapshot_from_record(record: Any) -> Scenario:
    """A ScenarioRecord (or its JSON dict) -> Scenario, validated by `advisor.engine.scenario.scenario_from_json`
    (InputError names the bad field)."""
    data = record.model_dump(mode="json") if hasattr(record, "model_dump") else dict(record)
    return scenario_from_json(data)
