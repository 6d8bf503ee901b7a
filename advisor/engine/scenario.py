"""A scenario: a workload, money assumptions, the systems to consider and the API to compare against.

A scenario file is the JSON `python main.py scenario show NAME --json` prints (advisor.catalog.schema
ScenarioRecord). `scenario_from_json` validates it whole: every bad field raises InputError naming it
(e.g. ``workload.cache_hit_share: must be between 0 and 1``). Names are resolved by a lookup the caller
injects (the database, the bundled catalog), so the engine never touches the database.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisor.engine.assumptions import validate_assumptions
from advisor.engine.economics import ApiPrices
from advisor.engine.offers import compared_offers, offer_note, offer_prices
from advisor.engine.pricing import PRICE_CONDITIONS, choose_price, fresher_elsewhere, price_caveat
from advisor.engine.types import Device, Finance, Host, ModelArch, OfferCost, PriceUsed, Quant, Workload
from advisor.errors import InputError
from advisor.files import check_regular_file

# Catalog quants "auto" may try (each only where its backend and hardware make sense), plus "native".
AUTO_QUANTS = ("Q4_K_M", "Q8_0", "AWQ-INT4", "FP8", "NVFP4", "MXFP4", "MLX-4bit")
_TOP_KEYS = {"name", "description", "workload", "finance", "candidates", "api_offers", "source", "as_of"}


@dataclass(frozen=True)
class Scenario:
    """What to decide: serve `workload` under `finance`, buying one of `candidates` (catalog system ids)
    or paying the cheapest acceptable API offer (`api_offers`: catalog API offer ids; advisor.engine.offers)."""

    name: str
    workload: Workload
    finance: Finance
    candidates: tuple[str, ...]
    api_offers: tuple[str, ...]
    description: str = ""


def _check_name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError("must be a non-empty text", "name")
    return value.strip()


def _id_list(data: Any, name: str) -> tuple[str, ...]:
    if not isinstance(data, list) or not data:
        raise InputError("must be a non-empty list of catalog ids", name)
    for index, item in enumerate(data):
        if not isinstance(item, str) or not item.strip():
            raise InputError("must be a catalog id (text)", f"{name}[{index}]")
    return tuple(dict.fromkeys(item.strip() for item in data))  # a repeated id is compared once


def scenario_from_json(data: Any) -> Scenario:
    """Validate a scenario JSON object and build a Scenario; InputError names the first bad field.

    >>> s = scenario_from_json({"name": "demo", "workload": {"model": "llama-3.1-8b"}, "finance": {},
    ...                         "candidates": ["rtx-5090-box"], "api_offers": ["deepseek-v4-flash"]})
    >>> (s.workload.quant, s.finance.useful_life_months)
    ('auto', 36)
    >>> scenario_from_json({"name": "x", "workload": {"model": "m", "cache_hit_share": 2}, "finance": {},
    ...                     "candidates": ["a"], "api_offers": ["b"]})
    Traceback (most recent call last):
    advisor.errors.InputError: workload.cache_hit_share: must be between 0 and 1 (got 2)
    """
    if not isinstance(data, Mapping):
        raise InputError("a scenario must be a JSON object", "scenario")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise InputError(f"unknown field (known: {', '.join(sorted(_TOP_KEYS))})", unknown[0])
    name = _check_name(data.get("name"))
    description = data.get("description", "")
    if not isinstance(description, str):
        raise InputError("must be text", "description")
    raw_workload = data.get("workload")
    if isinstance(raw_workload, Mapping) and "model" not in raw_workload:
        raise InputError("is required (a catalog model name)", "workload.model")
    workload = validate_assumptions(Workload, dict(raw_workload) if isinstance(raw_workload, Mapping)
                                    else raw_workload, "workload")
    for text_field in ("model", "quant"):
        if not getattr(workload, text_field):
            raise InputError("must be a non-empty text", f"workload.{text_field}")
    raw_finance = data.get("finance", {})
    finance = validate_assumptions(Finance, dict(raw_finance) if isinstance(raw_finance, Mapping)
                                   else raw_finance, "finance")
    check_workload(workload)
    candidates = _id_list(data.get("candidates"), "candidates")
    api_offers = _id_list(data.get("api_offers"), "api_offers")
    return Scenario(name=name, description=description, workload=workload,
                    finance=finance, candidates=candidates, api_offers=api_offers)


def scenario_to_json(scenario: Scenario) -> dict[str, Any]:
    """The scenario as the JSON `scenario_from_json` reads (round-trips)."""
    return {
        "name": scenario.name,
        "description": scenario.description,
        "workload": dataclasses.asdict(scenario.workload),
        "finance": dataclasses.asdict(scenario.finance),
        "candidates": list(scenario.candidates),
        "api_offers": list(scenario.api_offers),
    }


def load_scenario(name_or_file: str, lookup: Callable[[str], Any] | None = None) -> Scenario:
    """A scenario from a JSON file (a path that exists, or any name ending in .json) or by name through
    ``lookup(name) -> scenario JSON`` (the database or the bundled catalog; it raises InputError or
    returns None when the name is unknown)."""
    path = Path(name_or_file)
    if path.is_dir():  # a scenario may share a folder's name; only when none does is the folder meant
        found = None
        if lookup is not None:
            try:
                found = lookup(name_or_file)
            except InputError:
                found = None
        if found is None:
            raise InputError("is a directory, not a scenario file (give the .json file)", str(path))
        return found if isinstance(found, Scenario) else scenario_from_json(found)
    if path.suffix.lower() == ".json" or path.exists():
        if path.exists():
            check_regular_file(path, "scenario file")  # a FIFO would block the read forever
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read the scenario file ({exc.strerror or exc})", str(path)) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON (line {exc.lineno}: {exc.msg})", str(path)) from None
        return scenario_from_json(data)
    data = lookup(name_or_file) if lookup is not None else None
    if data is None:
        raise InputError(f"no scenario named {name_or_file!r} and no such file", "--scenario")
    return data if isinstance(data, Scenario) else scenario_from_json(data)


# --- resolving a scenario's catalog ids into engine inputs -------------------------------------------------


@dataclass(frozen=True)
class SystemView:
    """A candidate system as the engine needs it: one unit's device x count, host, price and idle draw."""

    id: str
    name: str
    device: Device
    count: int
    host: Host | None
    price_usd: float  # one unit, before tax [USD]
    idle_w: float  # whole system at idle [W]; 0 = let the estimate say
    prices: tuple[PriceUsed, ...]
    price_caveats: tuple[str, ...] = ()  # a price from another condition or > 12 months old, in words
    unpriced: tuple[str, ...] = ()  # items with no price at all: the system cannot be costed
    accelerator_id: str = ""  # catalog id of the device (rental prices are per device type)


@dataclass(frozen=True)
class ResolvedScenario:
    """A scenario with its ids looked up: the model, the API offer's prices and the candidate systems."""

    scenario: Scenario
    model: ModelArch
    api_offer: str  # the offer's display name
    api: ApiPrices
    systems: tuple[SystemView, ...]
    quants: dict[str, Quant]  # every catalog quant the advisor may try, by name
    notes: tuple[str, ...] = ()
    offers: tuple[OfferCost, ...] = ()  # every offer compared, the chosen one first
    api_offer_id: str = ""


def renamed(exc: InputError, field: str) -> InputError:
    """The same complaint, named after the scenario field that carried the bad name."""
    message = str(exc)
    if exc.field and message.startswith(f"{exc.field}: "):
        message = message[len(exc.field) + 2:]
    return InputError(message, field)


def _price_used(item: str, point: Any, quantity: int) -> PriceUsed:
    return PriceUsed(item=item, price_usd=float(point.price_usd), condition=str(point.condition),
                     vendor=str(getattr(point, "vendor", "")), source=str(getattr(point, "source", "")),
                     observed_at=str(getattr(point, "observed_at", "")), quantity=quantity)


def sold_used(record: Any) -> bool:
    """A system the catalog names as bought used: "(used)" in its name or an id ending in "-used"."""
    return "(used)" in str(record.name).lower() or str(record.id).endswith("-used")


def _system_view(catalog: Any, system_id: str, condition: str, field: str, today: dt.date
                 ) -> tuple[SystemView, list[str]]:
    try:
        record = catalog.system(system_id)
    except InputError as exc:
        raise renamed(exc, field) from None
    if sold_used(record):  # "4x RTX 3090 (used)" costs what its parts cost used, whatever the scenario prefers
        condition = "used"
    device = catalog.device(record.accelerator)
    host = catalog.host_arch(record.host) if getattr(record, "host", None) else None
    prices: list[PriceUsed] = []
    caveats: list[str] = []
    unpriced: list[str] = []

    def add(item_id: str, item_name: str, quantity: int) -> float:
        point = choose_price(catalog, item_id, condition)
        if point is None:
            unpriced.append(item_name or item_id)
            return 0.0
        prices.append(_price_used(item_name, point, quantity))
        caveat = price_caveat(item_name, point, condition, today, fresher_elsewhere(catalog, item_id, point))
        if caveat:
            caveats.append(caveat)
        return float(point.price_usd) * quantity

    if any(catalog.latest_price(record.id, c) is not None for c in PRICE_CONDITIONS):
        price = add(record.id, record.name, 1)
    else:  # a rig without its own price: accelerators + host + extras
        price = float(getattr(record, "extras_usd", 0.0))
        price += add(record.accelerator, device.name, int(record.count))
        if record.host:
            price += add(record.host, host.name if host else record.host, 1)
    notes = [c if c.startswith(record.name) else f"{record.name}: {c}" for c in caveats]
    if unpriced:
        notes.append(f"{record.name}: no price in the catalog for {', '.join(unpriced)}; not costed")
    view = SystemView(id=record.id, name=record.name, device=device, count=int(record.count), host=host,
                      price_usd=price, idle_w=float(getattr(record, "idle_w", 0.0) or 0.0), prices=tuple(prices),
                      price_caveats=tuple(caveats), unpriced=tuple(unpriced), accelerator_id=str(record.accelerator))
    return view, notes


def resolve_scenario(scenario: Scenario, catalog: Any, today: dt.date | None = None) -> ResolvedScenario:
    """Look the scenario's names up in ``catalog`` (advisor.catalog.Catalog, whose lookups return engine
    types: rows become engine inputs only in advisor.catalog.convert); InputError names the field.

    Every API offer is compared (advisor.engine.offers); the cheapest acceptable one is used. Prices are
    chosen by `advisor.engine.pricing`; one older than 12 months on ``today`` (default: the system date) is
    flagged in the notes.
    """
    today = today or dt.date.today()
    try:
        model = catalog.model(scenario.workload.model)
    except InputError as exc:
        raise renamed(exc, "workload.model") from None
    check_workload(scenario.workload, model)
    offers = compared_offers(scenario, catalog, _model_id(catalog, scenario.workload.model), today)
    offer = offers[0]
    api = offer_prices(offer)
    systems: list[SystemView] = []
    notes: list[str] = []
    for index, system_id in enumerate(scenario.candidates):
        view, system_notes = _system_view(catalog, system_id, scenario.finance.price_condition,
                                          f"candidates[{index}]", today)
        if any(v.id == view.id for v in systems):
            continue  # the same system named twice (an id and an alias): compared once
        systems.append(view)
        notes.extend(system_notes)
    quants: dict[str, Quant] = {}
    wanted = scenario.workload.quant
    if wanted == "auto":
        for name in AUTO_QUANTS:
            try:
                quants[name] = catalog.quant(name)
            except InputError:
                notes.append(f"quant {name} is not in the catalog; not tried")
    if wanted in ("auto", "native") or wanted.lower() == "native":
        try:  # the catalog knows the checkpoint as released; the engine falls back to its own reading
            quants["native"] = catalog.quant("native", model=scenario.workload.model)
        except (InputError, TypeError):
            pass
    else:
        try:
            chosen = catalog.quant(wanted)
        except InputError as exc:
            raise renamed(exc, "workload.quant") from None
        quants[chosen.name] = chosen
    note = offer_note(offer, model.name)
    if note:
        notes.insert(0, f"API offer compared, {offer.name}: {note}")
    return ResolvedScenario(scenario=scenario, model=model, api_offer=offer.name, api=api,
                            systems=tuple(systems), quants=quants, notes=tuple(notes), offers=offers,
                            api_offer_id=offer.id)


def _model_id(catalog: Any, name: str) -> str:
    """The catalog id of the model (offers name the model they serve by id); "" when not resolvable."""
    try:
        return str(catalog.resolve("models", name))
    except (InputError, AttributeError, KeyError):
        return ""


def check_workload(workload: Workload, model: ModelArch | None = None) -> None:
    """Inputs that pass each field's bounds but contradict each other; InputError names the field. Every front
    end reaches this through `resolve_scenario`, so the app's form refuses what a scenario file is refused for.

    A context reserved per sequence smaller than the average prompt plus output cannot hold one request
    (its KV cache would be sized for less than the request needs, flattering every rig).
    """
    # no demand at all makes every cost per token 0/0 and every comparison empty
    if workload.tokens_in_per_month == 0 and workload.tokens_out_per_month == 0:
        raise InputError("input and output tokens are both 0: there is nothing to serve",
                         "workload.tokens_in_per_month")
    need = workload.prompt_tokens + workload.output_tokens
    if workload.context_tokens is not None and workload.context_tokens < need:
        raise InputError(f"{workload.context_tokens} tokens cannot hold an average request of {need} tokens "
                         f"(prompt {workload.prompt_tokens} + output {workload.output_tokens})",
                         "workload.context_tokens")
