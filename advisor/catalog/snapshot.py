"""`Catalog`: an in-memory, read-only snapshot of every catalog record plus the price history.

Built from the seed (`Catalog.from_seed`, `Catalog.load`) or from plain lists of records and price points
(the database layer passes rows converted to records). Lookups take any name the resolver understands
(id, display name, alias, vendor prefixes and memory suffixes dropped) and return engine dataclasses
(`device`, `model`, `quant`, `host_arch`) or catalog records (`hardware_record`, `system`, `api_offer`, ...).
Unknown names raise advisor.errors.NotFoundError listing the closest matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from advisor.catalog import convert
from advisor.catalog.resolve import Resolver, dynamic_quant, normalise
from advisor.catalog.schema import (
    ApiOfferRecord,
    HardwareRecord,
    HostRecord,
    ModelRecord,
    PricePoint,
    PueRecord,
    QuantRecord,
    ScenarioRecord,
    SystemRecord,
    TariffRecord,
)
from advisor.catalog.seed import SeedCatalog, load_seed
from advisor.engine.types import Device, Host, ModelArch, Quant
from advisor.errors import NotFoundError

_MEMORY = re.compile(r"(\d+(?:\.\d+)?)\s*(?:gb|gib|g)\b", re.IGNORECASE)
_CONFIG_SUFFIX = re.compile(r"-\d+gb$")


def _memory_gb(name: str) -> float | None:
    """The memory size a hardware name spells ("M3 Ultra 96GB" -> 96) [GB], or None."""
    found = _MEMORY.findall(name)
    return float(found[-1]) if found else None


def _same_chip(a: str, b: str) -> bool:
    """Two hardware ids are RAM configurations of one chip variant (apple-m3-ultra-80c, apple-m3-ultra-80c-96gb)."""
    return _CONFIG_SUFFIX.sub("", a) == _CONFIG_SUFFIX.sub("", b)


class _Kind:
    """Records of one kind with their resolver."""

    def __init__(self, records: Iterable[Any], kind: str) -> None:
        self.records: tuple[Any, ...] = tuple(records)
        self.by_id: dict[str, Any] = {r.id: r for r in self.records}
        self.resolver = Resolver.from_records(self.records, kind=kind)

    def get(self, name: str) -> Any:
        return self.by_id[self.resolver.resolve(name)]


class Catalog:
    """Every catalog record, resolvable by name, and the price points of every priced item.

    ``prices`` adds price points to those the records carry, as (item id, PricePoint) pairs or a mapping
    item id -> points (the database keeps prices as rows). Record order is kept for the UI lists.
    """

    def __init__(self, *, hardware: Iterable[HardwareRecord] = (), hosts: Iterable[HostRecord] = (),
                 systems: Iterable[SystemRecord] = (), models: Iterable[ModelRecord] = (),
                 quants: Iterable[QuantRecord] = (), api_offers: Iterable[ApiOfferRecord] = (),
                 tariffs: Iterable[TariffRecord] = (), pue: Iterable[PueRecord] = (),
                 scenarios: Iterable[ScenarioRecord] = (),
                 prices: Iterable[tuple[str, PricePoint]] | Mapping[str, Sequence[PricePoint]] = ()) -> None:
        self._hardware = _Kind(hardware, "hardware")
        self._hosts = _Kind(hosts, "host")
        self._systems = _Kind(systems, "system")
        self._models = _Kind(models, "model")
        self._quants = _Kind(quants, "quant")
        self._offers = _Kind(api_offers, "API offer")
        self._tariffs = _Kind(tariffs, "tariff")
        self._pue = _Kind(pue, "PUE")
        self._scenarios: tuple[ScenarioRecord, ...] = tuple(scenarios)
        self._prices: dict[str, list[PricePoint]] = {}
        for kind in (self._hardware, self._hosts, self._systems):
            for record in kind.records:
                self._prices.setdefault(record.id, []).extend(record.prices)
        pairs = ((item, p) for item, points in prices.items() for p in points) if isinstance(prices, Mapping) \
            else prices
        for item_id, point in pairs:
            self._prices.setdefault(item_id, []).append(point)

    # -- construction ---------------------------------------------------------------------------------------
    @classmethod
    def from_seed(cls, seed: SeedCatalog) -> Catalog:
        return cls(hardware=seed.hardware, hosts=seed.hosts, systems=seed.systems, models=seed.models,
                   quants=seed.quants, api_offers=seed.api_offers, tariffs=seed.tariffs, pue=seed.pue,
                   scenarios=seed.scenarios)

    @classmethod
    def load(cls, directory: Path | None = None) -> Catalog:
        """The validated seed catalog (default: the bundled resources/catalog)."""
        return cls.from_seed(load_seed(directory))

    # -- engine inputs --------------------------------------------------------------------------------------
    def device(self, name: str) -> Device:
        """Engine Device for a hardware name (memory [GB], bandwidth [GB/s], TFLOPS, W)."""
        return convert.to_device(self.hardware_record(name))

    def model(self, name: str) -> ModelArch:
        return convert.to_model(self.model_record(name))

    def quant(self, name: str, model: str | None = None) -> Quant:
        """Engine Quant by name; "native" needs ``model`` (the checkpoint as released); any "EXL2-<bpw>" and
        "MLX-<n>bit" is parsed when the catalog has no such record."""
        if name.strip().lower() == "native":
            if model is None:
                raise NotFoundError("quant 'native' needs a model (the checkpoint as released)", field="quant")
            return convert.native_quant(self.model_record(model))
        return convert.to_quant(self.quant_record(name))

    def host_arch(self, name: str) -> Host:
        """Engine Host (RAM [GB], RAM bandwidth [GB/s], CPU TFLOPS, W) for a host name."""
        return convert.to_host(self.host(name))

    # -- records --------------------------------------------------------------------------------------------
    def hardware_record(self, name: str) -> HardwareRecord:
        """A hardware record by name. Apple chips come in one record per RAM configuration: a name asking for a
        RAM size the chip is not sold with ("M3 Ultra 128GB") is unknown, not the nearest configuration."""
        record: HardwareRecord = self._hardware.get(name)
        asked = _memory_gb(name)
        if record.kind == "apple" and asked is not None and abs(asked - record.memory_gb) > 0.5:
            sizes = sorted({h.memory_gb for h in self.hardware if h.kind == "apple" and _same_chip(h.id, record.id)})
            raise NotFoundError(f"unknown hardware {name!r}: {record.name} comes with"
                                f" {', '.join(f'{s:g}' for s in sizes)} GB, not {asked:g} GB", field="hardware")
        return record

    def model_record(self, name: str) -> ModelRecord:
        return self._models.get(name)

    def quant_record(self, name: str) -> QuantRecord:
        found = self._quants.resolver.get(name)
        if found is not None:
            return self._quants.by_id[found]
        parsed = dynamic_quant(name)
        if parsed is not None:
            return parsed
        return self._quants.get(name)  # raises NotFoundError with the closest names

    def host(self, name: str) -> HostRecord:
        return self._hosts.get(name)

    def system(self, name: str) -> SystemRecord:
        return self._systems.get(name)

    def api_offer(self, name: str) -> ApiOfferRecord:
        return self._offers.get(name)

    def tariff(self, name: str) -> TariffRecord:
        return self._tariffs.get(name)

    def pue(self, name: str) -> PueRecord:
        return self._pue.get(name)

    def scenario(self, name: str) -> ScenarioRecord:
        """An example scenario by name (case- and punctuation-insensitive)."""
        key = normalise(name)
        for scenario in self._scenarios:
            if normalise(scenario.name) == key:
                return scenario
        resolver = Resolver(((s.name, s.name, ()) for s in self._scenarios), kind="scenario")
        resolver.resolve(name)  # raises NotFoundError with the closest names
        raise AssertionError("unreachable")

    def resolve(self, kind: str, name: str) -> str:
        """The id ``name`` resolves to among records of ``kind`` (file stem: hardware, models, ...)."""
        return self._kind(kind).resolver.resolve(name)

    def closest(self, kind: str, name: str, n: int = 5) -> list[str]:
        return self._kind(kind).resolver.closest(name, n)

    def _kind(self, kind: str) -> _Kind:
        kinds = {"hardware": self._hardware, "hosts": self._hosts, "systems": self._systems,
                 "models": self._models, "quants": self._quants, "api_offers": self._offers,
                 "tariffs": self._tariffs, "pue": self._pue}
        if kind not in kinds:
            raise NotFoundError(f"unknown catalog kind {kind!r}; known: {', '.join(kinds)}", field="kind")
        return kinds[kind]

    # -- prices ---------------------------------------------------------------------------------------------
    def prices(self, item_id: str) -> list[PricePoint]:
        """All price points of an item (hardware, host or system id), oldest first."""
        return sorted(self._prices.get(item_id, []), key=lambda p: p.observed_at)

    def latest_price(self, item_id: str, condition: str | None = "new") -> PricePoint | None:
        """The most recent price point of ``item_id`` in ``condition`` (None: any condition), or None.

        Points observed on the same day: the one added last wins (a feed import overrides the seed).
        """
        best: PricePoint | None = None
        for point in self._prices.get(item_id, []):
            if condition is not None and point.condition != condition:
                continue
            if best is None or point.observed_at >= best.observed_at:
                best = point
        return best

    # -- lists for the UI and the CLI -----------------------------------------------------------------------
    @property
    def hardware(self) -> tuple[HardwareRecord, ...]:
        return self._hardware.records

    @property
    def hosts(self) -> tuple[HostRecord, ...]:
        return self._hosts.records

    @property
    def systems(self) -> tuple[SystemRecord, ...]:
        return self._systems.records

    @property
    def models(self) -> tuple[ModelRecord, ...]:
        return self._models.records

    @property
    def quants(self) -> tuple[QuantRecord, ...]:
        return self._quants.records

    @property
    def api_offers(self) -> tuple[ApiOfferRecord, ...]:
        return self._offers.records

    @property
    def tariffs(self) -> tuple[TariffRecord, ...]:
        return self._tariffs.records

    @property
    def pue_levels(self) -> tuple[PueRecord, ...]:
        return self._pue.records

    @property
    def scenarios(self) -> tuple[ScenarioRecord, ...]:
        return self._scenarios
