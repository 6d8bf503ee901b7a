"""`report --scenario NAME_OR_FILE -o OUT.pdf`: the PDF buying recommendation.

NAME is a scenario in the database; FILE is a scenario file (what `scenario show NAME --json` prints). The
PDF is written atomically (temporary file + rename); an unwritable target is bad input (exit code 2) and
leaves nothing behind. Prints the path written and the page count.
"""

from __future__ import annotations

import argparse
from typing import Any

from advisor.engine.types import Recommendation
from advisor.report.inputs import ScenarioLike, SourceRow


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("report", help="write the PDF buying recommendation for a scenario")
    parser.add_argument(
        "--scenario",
        required=True,
        metavar="NAME_OR_FILE",
        help="a scenario name from the database, or a scenario JSON file",
    )
    parser.add_argument("-o", "--output", required=True, metavar="OUT.pdf", help="the PDF file to write")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    parser.set_defaults(func=run)


def load_inputs(name_or_file: str) -> tuple[ScenarioLike, Recommendation, list[SourceRow]]:
    """Scenario, recommendation and source rows, exactly as `recommend --scenario` computes them."""
    from advisor.db import (
        get_scenario,
        load_catalog,  # type: ignore[attr-defined]
        open_database,
    )
    from advisor.engine.recommend import recommend
    from advisor.engine.scenario import load_scenario
    from advisor.report.sources import catalog_sources

    engine = open_database()
    try:
        scenario = load_scenario(
            name_or_file, lookup=lambda name: get_scenario(engine, name).model_dump(mode="json")
        )
        catalog = load_catalog(engine)
        recommendation = recommend(scenario, catalog)
        sources = catalog_sources(scenario, recommendation, catalog)
    finally:
        engine.dispose()
    return scenario, recommendation, sources


def run(args: argparse.Namespace) -> int:
    from advisor.report import build_report
    from advisor.report.builder import check_target

    check_target(args.output)  # fail on a bad target before the (slower) recommendation is computed
    scenario, recommendation, sources = load_inputs(args.scenario)
    pages = [0]

    def count_pages(_fraction: float, stage: str) -> None:
        if stage.startswith("page "):
            pages[0] = int(stage.split()[1])

    written = build_report(
        recommendation, scenario, args.output, progress_callback=count_pages, sources=sources
    )
    if not args.quiet:
        print(f"wrote {written} ({pages[0]} pages): {recommendation.sentence}")
    return 0
