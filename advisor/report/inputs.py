"""What the report takes besides the Recommendation: the scenario (by shape), source rows, progress callback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from advisor.engine.types import Finance, Workload

# progress_callback(fraction 0..1, stage in words). Raising from it cancels the build; nothing is written.
ProgressCallback = Callable[[float, str], None]


class ScenarioLike(Protocol):
    """The fields of advisor.engine.scenario.Scenario the report reads (any object with them will do)."""

    @property
    def name(self) -> str: ...

    @property
    def description(self) -> str: ...

    @property
    def workload(self) -> Workload: ...

    @property
    def finance(self) -> Finance: ...


@dataclass(frozen=True)
class SourceRow:
    """One catalog record the recommendation relied on, for the Sources section.

    kind: 'hardware' | 'system' | 'host' | 'model' | 'quant' | 'api offer' | 'tariff' ...; detail: the key
    figures used, in words with units (e.g. '24 GB, 1008 GB/s, 450 W').
    """

    kind: str
    name: str
    detail: str
    source: str
    as_of: str
