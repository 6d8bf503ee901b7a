"""PDF buying recommendation (reportlab). No Qt here: the app runs `build_report` on a background job.

Usage::

    from advisor.report import build_report
    build_report(recommendation, scenario, "report.pdf", progress_callback=print)
"""

from __future__ import annotations

from advisor.report.builder import build_report
from advisor.report.inputs import ProgressCallback, ScenarioLike, SourceRow

__all__ = ["ProgressCallback", "ScenarioLike", "SourceRow", "build_report"]
