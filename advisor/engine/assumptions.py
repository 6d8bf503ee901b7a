"""The workload and finance assumptions of a scenario, declared once.

Each field carries its type, default, bounds, label, unit and tooltip here; the engine computes with these
objects, scenario files are validated by them (`validate_assumptions`), the desktop form builds its spin boxes
from `assumption_fields`, the CLI builds its ``--set`` help from them and the PDF report labels its assumptions
table with them. Rates are fractions (0.08 = 8 %); the ``scale`` of a field is what a form multiplies the typed
value by (tokens typed in millions, shares typed in percent).

They are pydantic dataclasses: frozen, hashable, and ``dataclasses.replace`` / ``asdict`` work as on any
dataclass, while building one validates every bound.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

import pydantic
from pydantic import BeforeValidator, ConfigDict, Field, ValidationError

from advisor.errors import InputError


def _number_only(value: Any) -> Any:
    """JSON numbers only: a text or a true/false is not silently read as a number."""
    if isinstance(value, bool) or isinstance(value, str):
        raise ValueError("not a number")
    return value


Number = BeforeValidator(_number_only)


def _field(label: str, unit: str, tip: str, *, scale: float = 1.0, step: float = 1.0, decimals: int = 0,
           **bounds: Any) -> Any:
    return Field(title=label, description=tip, json_schema_extra={"unit": unit, "scale": scale, "step": step,
                                                                   "decimals": decimals}, **bounds)


# Optional numbers: the bounds apply to the number, None means "derived" (see each field's description).
_ContextTokens = Annotated[int, Number, Field(ge=1, le=100_000_000)] | None
_HorizonMonths = Annotated[int, Number, Field(ge=1, le=240)] | None
_CONFIG = ConfigDict(extra="forbid", allow_inf_nan=False, str_strip_whitespace=True)


@pydantic.dataclasses.dataclass(frozen=True, config=_CONFIG)
class Workload:
    """What the user needs served. Token volumes are per month at month 0; growth compounds monthly."""

    # may be empty while a scenario is being edited; a scenario file must name one (scenario_from_json)
    model: Annotated[str, Field(title="Model", description="The model served (a catalog name)",
                                json_schema_extra={"unit": ""})]
    quant: Annotated[str, Field(title="Weight format (quant)",
                                description="A catalog quant name, 'native', or 'auto' (the advisor chooses)",
                                json_schema_extra={"unit": ""})] = "auto"
    tokens_in_per_month: Annotated[float, Number, _field(
        "Input tokens", "M tokens/month", "Input (prompt) tokens per month at month 0 [million tokens/month]",
        scale=1e6, step=10, decimals=1, ge=0, le=1e15)] = 100e6
    tokens_out_per_month: Annotated[float, Number, _field(
        "Output tokens", "M tokens/month", "Generated tokens per month at month 0 [million tokens/month]",
        scale=1e6, step=5, decimals=1, ge=0, le=1e15)] = 20e6
    cache_hit_share: Annotated[float, Number, _field(
        "Cache-hit share", "% of input", "Share of input tokens billed at the API's cache-hit price "
        "[% of input tokens]", scale=0.01, step=5, ge=0, le=1)] = 0.0
    local_prefix_cache: Annotated[Literal["reuse", "none"], Field(
        title="Local prefix cache", description="reuse: the local server keeps cached prefixes (vLLM/SGLang "
        "prefix caching, llama.cpp prompt cache), so the cache-hit share of the input is not prefilled again; "
        "none: every input token is prefilled", json_schema_extra={"unit": ""})] = "reuse"
    prompt_tokens: Annotated[int, Number, _field(
        "Average prompt", "tokens", "Average prompt length per request [tokens]; sets time to first token",
        step=500, ge=1, le=10_000_000)] = 2000
    output_tokens: Annotated[int, Number, _field(
        "Average output", "tokens", "Average output length per request [tokens]", step=100, ge=1,
        le=10_000_000)] = 500
    peak_concurrency: Annotated[int, Number, _field(
        "Peak concurrency", "users", "Requests served at the same time at peak [concurrent sequences]",
        ge=1, le=100_000)] = 1
    # below 6 min/day the fleet size runs to infinity
    hours_per_day: Annotated[float, Number, _field(
        "Hours per day", "h/day", "Hours per day the service must be up and loaded [h/day]", decimals=1,
        ge=0.1, le=24)] = 8.0
    sla_tok_s_per_user: Annotated[float, Number, _field(
        "SLA speed", "tok/s per user", "Minimum decode speed each user must see [tokens/s per user]",
        decimals=1, ge=0, le=1e6)] = 10.0
    sla_ttft_s: Annotated[float, Number, _field(
        "SLA time to first token", "s", "Longest acceptable time to first token for an average prompt [s]",
        decimals=2, gt=0, le=1e6)] = 10.0
    # bounded so 240 months of compounding stay far below 1e300
    growth_per_month: Annotated[float, Number, _field(
        "Demand growth", "% per month", "Token volume growth, compounding monthly [% per month]",
        scale=0.01, decimals=1, ge=-0.5, le=0.5)] = 0.0
    build: Annotated[Literal["current", "2024"], Field(
        title="Backend build era", description="Which backend builds the speeds stand for: current (2025-2026 "
        "releases) or 2024", json_schema_extra={"unit": ""})] = "current"
    context_tokens: Annotated[_ContextTokens, _field(
        "Context reserved per sequence", "tokens", "Context each sequence reserves KV cache for [tokens]; "
        "empty: prompt + output", step=1024)] = None


@pydantic.dataclasses.dataclass(frozen=True, config=_CONFIG)
class Finance:
    """Money assumptions. Rates are fractions (0.08 = 8 %)."""

    tariff_usd_per_kwh: Annotated[float, Number, _field(
        "Electricity tariff", "USD/kWh", "Electricity price [USD/kWh]", step=0.01, decimals=3, ge=0,
        le=10)] = 0.17
    pue: Annotated[float, Number, _field(
        "PUE", "ratio", "Power usage effectiveness: facility power / IT power [ratio, 1.0 = no cooling "
        "overhead]", step=0.05, decimals=2, ge=1, le=5)] = 1.0
    useful_life_months: Annotated[int, Number, _field(
        "Useful life", "months", "Months the hardware is used before it is sold [months]; also the default "
        "horizon", step=6, ge=1, le=240)] = 36
    residual_share: Annotated[float, Number, _field(
        "Residual value", "% of capex", "Resale value at end of life with the flat resale model [% of capex]",
        scale=0.01, step=5, ge=0, le=1)] = 0.2
    resale_model: Annotated[Literal["device_class", "flat"], Field(
        title="Resale value model", description="device_class: what used units of the device's class fetch, "
        "a depreciation curve fitted to used-market prices (advisor.engine.resale); flat: straight line to "
        "the residual value at the end of the useful life", json_schema_extra={"unit": ""})] = "device_class"
    discount_rate_per_year: Annotated[float, Number, _field(
        "Discount rate", "% per year", "Discount rate for the NPV [% per year]", scale=0.01, decimals=1,
        ge=-0.5, le=2)] = 0.08
    api_price_change_per_year: Annotated[float, Number, _field(
        "API price change", "% per year", "Expected yearly change of API prices [% per year; -30 = prices "
        "fall 30 % a year]", scale=0.01, step=5, ge=-0.99, le=10)] = -0.3
    price_condition: Annotated[Literal["new", "used", "refurb"], Field(
        title="Hardware condition priced", description="Which price points the hardware is costed at",
        json_schema_extra={"unit": ""})] = "new"
    maintenance_usd_per_month: Annotated[float, Number, _field(
        "Maintenance", "USD/month", "Maintenance per unit [USD/month]", step=10, ge=0, le=1e9)] = 0.0
    hosting_usd_per_month: Annotated[float, Number, _field(
        "Hosting", "USD/month", "Hosting / colocation per unit [USD/month]", step=10, ge=0, le=1e9)] = 0.0
    tax_rate: Annotated[float, Number, _field(
        "Sales tax", "% of capex", "Sales tax on the hardware [% of capex]", scale=0.01, decimals=1, ge=0,
        le=1)] = 0.0
    overflow: Annotated[Literal["more_units", "hybrid"], Field(
        title="When one unit is not enough", description="more_units: buy more units; hybrid: the API "
        "serves what the hardware cannot", json_schema_extra={"unit": ""})] = "more_units"
    api_offers_compared: Annotated[Literal["scenario_and_catalog", "scenario_only"], Field(
        title="API offers compared", description="scenario_and_catalog: the scenario's offers plus every "
        "catalog offer for the same model; scenario_only: just the scenario's offers",
        json_schema_extra={"unit": ""})] = "scenario_and_catalog"
    renting: Annotated[Literal["compare", "ignore"], Field(
        title="Renting GPUs", description="compare: renting the candidates' GPUs by the hour (catalog rental "
        "prices) is a third path beside buying and the API; ignore: buy or API only",
        json_schema_extra={"unit": ""})] = "compare"
    horizon_months: Annotated[_HorizonMonths, _field(
        "Horizon", "months", "Months compared [months]; empty: the useful life", step=6)] = None


@dataclass(frozen=True)
class AssumptionField:
    """One declared field, as a form, a CLI help text or a report table needs it."""

    name: str
    label: str
    unit: str
    description: str
    default: Any
    kind: str  # "float" | "int" | "str" | "choice"
    low: float | None = None
    high: float | None = None
    low_open: bool = False  # the low bound itself is not allowed
    optional: bool = False  # None allowed (means "derived": see the description)
    choices: tuple[str, ...] = ()
    scale: float = 1.0  # stored value = typed value x scale
    step: float = 1.0
    decimals: int = 0


def _describe(name: str, info: Any) -> AssumptionField:
    extra = info.json_schema_extra or {}
    low = high = None
    low_open = False
    annotation = info.annotation
    args = get_args(annotation)
    optional = type(None) in args
    base = next((a for a in args if a is not type(None)), annotation) if optional else annotation
    rules = list(info.metadata)
    if get_args(base) and hasattr(base, "__metadata__"):  # Annotated[int, ...] | None: bounds are inside
        rules += [r for m in base.__metadata__ for r in getattr(m, "metadata", [])]
        base = get_args(base)[0]
    for rule in rules:
        if getattr(rule, "ge", None) is not None:
            low = float(rule.ge)
        if getattr(rule, "gt", None) is not None:
            low, low_open = float(rule.gt), True
        if getattr(rule, "le", None) is not None:
            high = float(rule.le)
    if getattr(base, "__origin__", None) is Literal or str(base).startswith("typing.Literal"):
        kind, choices = "choice", tuple(get_args(base))
    else:
        kind, choices = {float: "float", int: "int"}.get(base, "str"), ()
    return AssumptionField(name=name, label=info.title or name, unit=extra.get("unit", ""),
                           description=info.description or "", default=info.default, kind=kind, low=low,
                           high=high, low_open=low_open, optional=optional, choices=choices,
                           scale=float(extra.get("scale", 1.0)), step=float(extra.get("step", 1.0)),
                           decimals=int(extra.get("decimals", 0)))


class _Shown:
    """A value in an error message: formats as `_shown` does."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        return _shown(self.value)


_FIELDS: dict[type, tuple[AssumptionField, ...]] = {}


def assumption_fields(cls: type[Workload] | type[Finance]) -> tuple[AssumptionField, ...]:
    """The declared fields of Workload or Finance, in declaration order.

    >>> f = {x.name: x for x in assumption_fields(Workload)}["growth_per_month"]
    >>> (f.label, f.unit, f.low, f.high, f.scale)
    ('Demand growth', '% per month', -0.5, 0.5, 0.01)
    """
    if cls not in _FIELDS:
        infos = cls.__pydantic_fields__  # type: ignore[union-attr]
        _FIELDS[cls] = tuple(_describe(name, infos[name]) for name in (f.name for f in dataclasses.fields(cls)))
    return _FIELDS[cls]


def _shown(value: Any) -> str:
    """``repr`` for the error line, kept to one short line (a 5,000-digit number is named, not printed)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10 ** 30:
        return f"a {len(str(abs(value))) if abs(value) < 10 ** 4000 else 'more than 4000'}-digit number"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(err: Any, spec: AssumptionField | None) -> str:
    """The house wording of one pydantic error (the one users and scripts have seen since 0.1)."""
    kind, value = err["type"], _Shown(err.get("input"))
    if kind in ("missing",):
        return "is required"
    if kind in ("unexpected_keyword_argument", "extra_forbidden"):
        return "unknown field"
    if spec is None:
        return str(err["msg"])
    if kind == "finite_number":
        return "must be a finite number"
    if kind == "int_from_float":
        return f"must be a whole number (got {value!r})"
    if kind == "literal_error":
        return f"must be one of {', '.join(spec.choices)} (got {value!r})"
    if kind in ("string_too_short", "string_type"):
        return "must be a non-empty text"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than") and spec.low is not None:
        high = f"{spec.high:g}" if spec.high is not None else "any"
        span = f"above {spec.low:g} and at most {high}" if spec.low_open else f"between {spec.low:g} and {high}"
        return f"must be {span} (got {value!r})"
    if spec.kind in ("float", "int"):
        return f"must be a number (got {value!r})"
    return str(err["msg"])


def validate_assumptions(cls: type[Any], data: Any, section: str) -> Any:
    """``cls(**data)`` with every bound checked; InputError names the first bad field as
    ``section.field`` in the house wording.

    >>> validate_assumptions(Finance, {"pue": 0.5}, "finance")
    Traceback (most recent call last):
    advisor.errors.InputError: finance.pue: must be between 1 and 5 (got 0.5)
    """
    if not isinstance(data, dict):
        raise InputError("must be an object", section)
    specs = {f.name: f for f in assumption_fields(cls)}
    unknown = sorted(k for k in data if k not in specs)
    if unknown:
        raise InputError(f"unknown field (known: {', '.join(specs)})", f"{section}.{unknown[0]}")
    try:
        return cls(**data)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else ""
        where = f"{section}.{name}" if name else section
        raise InputError(_message(err, specs.get(name)), where) from None


def what_if(values: Any, **changes: Any) -> Any:
    """A copy of validated Workload/Finance ``values`` with ``changes``, not re-validated: for the engine's own
    what-ifs (sensitivity moves a tariff or a useful life past what a user may type). Never for user input.

    >>> what_if(Finance(), useful_life_months=360).useful_life_months
    360
    """
    copy = object.__new__(type(values))
    copy.__dict__.update(values.__dict__)
    copy.__dict__.update(changes)
    return copy
