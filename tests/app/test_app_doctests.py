"""The worked examples of the application layer, the progress protocol and the declared assumptions run."""

from __future__ import annotations

import doctest

import pytest

import advisor.app.scenarios
import advisor.app.sweep
import advisor.engine.assumptions
import advisor.engine.scenario
import advisor.engine.types
import advisor.progress


@pytest.mark.parametrize("module", [advisor.progress, advisor.engine.assumptions, advisor.engine.types,
                                    advisor.engine.scenario, advisor.app.scenarios, advisor.app.sweep])
def test_doctests(module: object) -> None:
    failures, tried = doctest.testmod(module)  # type: ignore[arg-type]
    assert tried >= 1 and failures == 0
