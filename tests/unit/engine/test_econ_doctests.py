"""The worked examples in the economics, pricing, scenario and verdict docstrings run and hold."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from advisor.engine import economics, pricing, scenario, verdict


@pytest.mark.parametrize(("module", "at_least"), [(economics, 10), (pricing, 3), (scenario, 2), (verdict, 2)])
def test_worked_examples(module: ModuleType, at_least: int) -> None:
    failures, tried = doctest.testmod(module)
    assert failures == 0 and tried >= at_least
