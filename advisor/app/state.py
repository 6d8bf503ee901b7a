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
    """The observable scenario. Mutate only through the methods so listeners hear about it."""

    name: str = "Untitled scenario"
    workload: Workload = field(default_factory=lambda: Workload(model=""))
    finance: Finance = field(default_factory=Finance)
    candidates: tuple[str, ...] = ()
    api_offers: tuple[str, ...] = ()
    description: str = ""
    revision: int = 0
    _listeners: list[Listener] = field(default_factory=list, repr=False)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _changed(self, what: str) -> None:
        self.revision += 1
        for listener in list(self._listeners):
            listener(what)

    def update_workload(self, **changes: Any) -> None:
        new = _replace_checked(self.workload, changes)
        if new != self.workload:
            self.workload = new
            self._changed("workload")

    def update_finance(self, **changes: Any) -> None:
        new = _replace_checked(self.finance, changes)
        if new != self.finance:
            self.finance = new
            self._changed("finance")

    def set_candidates(self, ids: tuple[str, ...] | list[str]) -> None:
        ids = tuple(ids)
        if ids != self.candidates:
            self.candidates = ids
            self._changed("candidates")

    def set_api_offers(self, ids: tuple[str, ...] | list[str]) -> None:
        ids = tuple(ids)
        if ids != self.api_offers:
            self.api_offers = ids
            self._changed("api_offers")

    def load(self, snapshot: Scenario) -> None:
        """Replace everything at once (open a scenario); listeners hear "all" once."""
        self.name, self.description = snapshot.name, snapshot.description
        self.workload, self.finance = snapshot.workload, snapshot.finance
        self.candidates, self.api_offers = snapshot.candidates, snapshot.api_offers
        self._changed("all")

    def snapshot(self) -> Scenario:
        """The scenario as it is now (the revision it belongs to is `revision`)."""
        return Scenario(self.name, self.workload, self.finance, self.candidates, self.api_offers,
                        self.description)


def snapshot_from_record(record: Any) -> Scenario:
    """A ScenarioRecord (or its JSON dict) -> Scenario, validated by `advisor.engine.scenario.scenario_from_json`
    (InputError names the bad field)."""
    data = record.model_dump(mode="json") if hasattr(record, "model_dump") else dict(record)
    return scenario_from_json(data)
