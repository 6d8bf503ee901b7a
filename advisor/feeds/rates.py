"""The user's exchange-rate table: how many USD one unit of a currency buys.

Feeds may publish prices in any currency, but the database and the engine work in USD. Rates are the
user's choice (they know which rate their finance team uses), kept in ``exchange_rates.json`` in the data
dir::

    {"as_of": "2026-11-01", "usd_per_unit": {"EUR": 1.08, "GBP": 1.27}}

USD is always known (rate 1). A currency without a rate is "unknown": a feed using it is refused rather
than converted with a guessed rate.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from advisor.atomic import atomic_write
from advisor.errors import InputError
from advisor.paths import user_data_dir

RATES_FILE_NAME = "exchange_rates.json"
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
MIN_RATE, MAX_RATE = 1e-9, 1e4  # plausible USD per unit of any currency [USD]


@dataclass(frozen=True)
class ExchangeRates:
    """USD per unit of each known currency [USD/unit]; USD itself is always 1."""

    usd_per_unit: dict[str, float] = field(default_factory=dict)
    as_of: dt.date | None = None

    def known(self, currency: str) -> bool:
        return currency == "USD" or currency in self.usd_per_unit

    def to_usd(self, amount: float, currency: str) -> float:
        """``amount`` [currency units] in USD [USD].

        >>> ExchangeRates({"EUR": 1.25}).to_usd(100.0, "EUR")
        125.0
        """
        if currency == "USD":
            return amount
        try:
            return amount * self.usd_per_unit[currency]
        except KeyError:
            raise InputError(f"no exchange rate for {currency}", field="currency") from None

    def with_rate(self, currency: str, usd_per_unit: float) -> ExchangeRates:
        """A copy with one rate set (validated)."""
        code = _check_code(currency, "currency")
        _check_rate(usd_per_unit, f"usd_per_unit.{code}")
        if code == "USD":
            raise InputError("USD is the base currency (rate 1) and cannot be changed", field="currency")
        return ExchangeRates({**self.usd_per_unit, code: float(usd_per_unit)}, dt.date.today())


def rates_path() -> Path:
    return user_data_dir() / RATES_FILE_NAME


def load_rates(path: Path | None = None) -> ExchangeRates:
    """The table in ``path`` (default: the data dir's file); no file means "USD only"."""
    path = path or rates_path()
    if not path.exists():
        return ExchangeRates()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read exchange rates: {exc}", field=str(path)) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("usd_per_unit"), dict):
        raise InputError('expected {"usd_per_unit": {"EUR": 1.08, ...}}', field=str(path))
    rates: dict[str, float] = {}
    for code, rate in raw["usd_per_unit"].items():
        where = f"{path.name}: usd_per_unit.{code}"
        rates[_check_code(code, where)] = _check_rate(rate, where)
    as_of = None
    if raw.get("as_of"):
        try:
            as_of = dt.date.fromisoformat(str(raw["as_of"]))
        except ValueError:
            raise InputError("not an ISO date (YYYY-MM-DD)", field=f"{path.name}: as_of") from None
    rates.pop("USD", None)
    return ExchangeRates(rates, as_of)


def save_rates(rates: ExchangeRates, path: Path | None = None) -> Path:
    """Write the table atomically (temp file + rename), so a crash never leaves half a file."""
    path = path or rates_path()
    body = {
        "as_of": (rates.as_of or dt.date.today()).isoformat(),
        "usd_per_unit": dict(sorted(rates.usd_per_unit.items())),
    }
    with atomic_write(path, encoding="utf-8") as fh:
        json.dump(body, fh, indent=2)
        fh.write("\n")
    return path


def _check_code(code: object, where: str) -> str:
    if not isinstance(code, str) or not CURRENCY_CODE.match(code.strip().upper()):
        raise InputError(f"not a 3-letter ISO 4217 currency code: {code!r}", field=where)
    return code.strip().upper()


def _check_rate(rate: object, where: str) -> float:
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not math.isfinite(rate) or rate <= 0:
        raise InputError(f"rate must be a finite number > 0 (USD per unit), got {rate!r}", field=where)
    # the strongest currency is a few USD per unit, the weakest ~1e-5: outside this range it is a typo
    if not MIN_RATE <= rate <= MAX_RATE:
        raise InputError(f"rate must be between {MIN_RATE:g} and {MAX_RATE:g} USD per unit, got {rate!r}",
                         field=where)
    return float(rate)
