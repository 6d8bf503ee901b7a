"""The scenario being edited: one observable object, no Qt (STYLE practice 6).

Widgets write to it (`update_workload(tokens_in_per_month=...)`) and listen to it (`subscribe`). Every change
bumps `revision`, so a background recompute can tell whether its result is still the latest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from advisor.engine.types import Finance, Workload
from advisor.errors import InputError

Listener = Callable[[str], None]  # called with "workload" | "finance" | "candidates" | "api_offers" | "all"


@dataclass(frozen=True)
class ScenarioSnapshot:
    """An immutable copy of the scenario, handed to background jobs."""

    name: str
    workload: Workload
    finance: Finance
    candidates: tuple[str, ...]  # SystemRecord ids
    api_offers: tuple[str, ...]  # ApiOfferRecord ids
    revision: int = 0
    description: str = ""

    def to_json_dict(self) -> dict[str, Any]:
        """The scenario file format (`scenario show NAME --json`)."""
        return {
            "name": self.name,
            "description": self.description,
            "workload": dataclasses.asdict(self.workload),
            "finance": dataclasses.asdict(self.finance),
            "candidates": list(self.candidates),
            "api_offers": list(self.api_offers),
        }


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

    def load(self, snapshot: ScenarioSnapshot) -> None:
        """Replace everything at once (open a scenario); listeners hear "all" once."""
        self.name, self.description = snapshot.name, snapshot.description
        self.workload, self.finance = snapshot.workload, snapshot.finance
        self.candidates, self.api_offers = snapshot.candidates, snapshot.api_offers
        self._changed("all")

    def snapshot(self) -> ScenarioSnapshot:
        return ScenarioSnapshot(
            self.name,
            self.workload,
            self.finance,
            self.candidates,
            self.api_offers,
            self.revision,
            self.description,
        )


def snapshot_from_record(record: Any) -> ScenarioSnapshot:
    """A ScenarioRecord (or its JSON dict) -> snapshot; unknown workload/finance keys raise InputError."""
    data = record.model_dump() if hasattr(record, "model_dump") else dict(record)
    try:
        workload = Workload(**data["workload"])
        finance = Finance(**data.get("finance", {}))
    except TypeError as exc:
        raise InputError(str(exc), field="scenario") from None
    return ScenarioSnapshot(
        name=data["name"],
        workload=workload,
        finance=finance,
        candidates=tuple(data.get("candidates", [])),
        api_offers=tuple(data.get("api_offers", [])),
        description=data.get("description", ""),
    )
