"""`report --scenario NAME_OR_FILE -o OUT.pdf`: the PDF buying recommendation.

NAME is a scenario in the database; FILE is a scenario file (what `scenario show NAME --json` prints). The
PDF is written atomically (temporary file + rename); an unwritable target is bad input (exit code 2) and
leaves nothing behind. Prints the path written and the page count.
"""

from __future__ import annotations

import argparse
from typing import Any

from advisor.engine.scenario import Scenario
from advisor.engine.types import Recommendation


def register(subparsers: Any) -> None:
    from advisor.app.scenarios import assumptions_help

    parser = subparsers.add_parser("report", help="write the PDF buying recommendation for a scenario",
                                   epilog="--set accepts:\n" + assumptions_help(),
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--scenario",
        required=True,
        metavar="NAME_OR_FILE",
        help="a scenario name from the database, or a scenario JSON file",
    )
    parser.add_argument("-o", "--output", required=True, metavar="OUT.pdf", help="the PDF file to write")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.FIELD=VALUE",
                        help="change one workload or finance assumption for this report, as `recommend --set`")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    parser.set_defaults(func=run)


def _scenario_and_catalog(name_or_file: str, assignments: list[str] | None = None) -> tuple[Scenario, Any]:
    from advisor.app.scenarios import scenario_from_name_or_file, with_overrides
    from advisor.db import get_scenario, load_catalog, open_database

    engine = open_database()
    try:
        scenario = scenario_from_name_or_file(
            name_or_file, lookup=lambda name: get_scenario(engine, name).model_dump(mode="json"))
        return with_overrides(scenario, assignments or []), load_catalog(engine)
    finally:
        engine.dispose()


def load_inputs(name_or_file: str) -> tuple[Scenario, Recommendation, list[Any]]:
    """Scenario, recommendation and source rows, exactly as the app's report export computes them."""
    from advisor.app.scenarios import report_inputs

    scenario, catalog = _scenario_and_catalog(name_or_file)
    recommendation, sources = report_inputs(catalog, scenario)
    return scenario, recommendation, sources


def run(args: argparse.Namespace) -> int:
    from advisor.app.scenarios import write_report
    from advisor.report.builder import check_target

    check_target(args.output)  # fail on a bad target before the (slower) recommendation is computed
    scenario, catalog = _scenario_and_catalog(args.scenario, args.set)
    written, pages, recommendation = write_report(catalog, scenario, args.output)
    if not args.quiet:
        print(f"wrote {written} ({pages} pages): {recommendation.sentence}")
    return 0
