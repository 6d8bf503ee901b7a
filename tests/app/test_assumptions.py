"""Workload and finance fields are declared once: the engine's validation, the app's form, the report's table
and the CLI's --set all read the same bounds, labels and units."""

from __future__ import annotations

import pytest

from advisor.engine.assumptions import assumption_fields, validate_assumptions
from advisor.engine.types import Finance, Workload
from advisor.errors import InputError


def test_growth_bound_is_the_same_in_the_form_and_the_engine() -> None:
    # issue 11: the form accepted +100 %/month while the engine refused more than +50 %
    from ui.widgets.fields import WORKLOAD_FIELDS

    form = {s.name: s for s in WORKLOAD_FIELDS}["growth_per_month"]
    assert form.maximum * form.scale == pytest.approx(0.5)
    validate_assumptions(Workload, {"model": "m", "growth_per_month": 0.5}, "workload")
    with pytest.raises(InputError, match=r"workload.growth_per_month: must be between -0.5 and 0.5"):
        validate_assumptions(Workload, {"model": "m", "growth_per_month": 0.51}, "workload")


def test_every_form_field_matches_its_declaration() -> None:
    from ui.widgets.fields import FINANCE_FIELDS, WORKLOAD_FIELDS

    declared = {f.name: f for f in (*assumption_fields(Workload), *assumption_fields(Finance))}
    for spec in (*WORKLOAD_FIELDS, *FINANCE_FIELDS):
        field = declared[spec.name]
        assert spec.label == field.label and spec.tooltip == field.description
        assert spec.maximum * spec.scale == pytest.approx(field.high)
        assert spec.minimum * spec.scale >= field.low  # (a bound that is itself refused starts a step above)


def test_report_labels_come_from_the_declaration() -> None:
    from advisor.report.details import FINANCE_LABELS, WORKLOAD_LABELS

    assert WORKLOAD_LABELS["peak_concurrency"][0] == "Peak concurrency"
    assert FINANCE_LABELS["tariff_usd_per_kwh"][1] == "USD/kWh"
    assert set(WORKLOAD_LABELS) == {f.name for f in assumption_fields(Workload)}


@pytest.mark.parametrize(("data", "message"), [
    ({"model": "m", "peak_concurrency": True}, "workload.peak_concurrency: must be a number (got True)"),
    ({"model": "m", "prompt_tokens": "2000"}, "workload.prompt_tokens: must be a number (got '2000')"),
    ({"model": "m", "prompt_tokens": 10 ** 5000}, "workload.prompt_tokens: must be between 1 and 1e+07"),
    ({"model": "m", "sla_ttft_s": 0}, "workload.sla_ttft_s: must be above 0 and at most 1e+06 (got 0)"),
    ({"model": "m", "colour": "red"}, "workload.colour: unknown field"),
])
def test_bad_values_name_the_field(data: dict, message: str) -> None:
    with pytest.raises(InputError) as err:
        validate_assumptions(Workload, data, "workload")
    assert str(err.value).startswith(message)


def test_cli_set_is_validated_by_the_declaration() -> None:
    from advisor.app.scenarios import with_overrides
    from advisor.engine.scenario import Scenario

    base = Scenario("s", Workload(model="m"), Finance(), ("a",), ("b",))
    assert with_overrides(base, ["finance.tariff_usd_per_kwh=0.3"]).finance.tariff_usd_per_kwh == 0.3
    with pytest.raises(InputError, match="finance.pue: must be between 1 and 5"):
        with_overrides(base, ["finance.pue=0.5"])
    with pytest.raises(InputError, match="--set"):
        with_overrides(base, ["pue=2"])
