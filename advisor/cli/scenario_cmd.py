"""`scenario list [--json]` and `scenario show NAME --json`.

What `scenario show NAME --json` prints is a "scenario file": `recommend --scenario FILE` and
`report --scenario FILE` accept it, so a user can copy a scenario, edit it and run it.
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("scenario", help="list scenarios or print one as a scenario file")
    actions = parser.add_subparsers(dest="scenario_action", metavar="ACTION", required=True)
    list_parser = actions.add_parser("list", help="list the scenarios in the database")
    list_parser.add_argument("--json", action="store_true", help="print a JSON list of scenarios")
    list_parser.set_defaults(func=run_list)
    show = actions.add_parser("show", help="print one scenario (with --json: a scenario file)")
    show.add_argument("name", help="scenario name (case-insensitive)")
    show.add_argument("--json", action="store_true", help="print the scenario JSON (a scenario file)")
    show.set_defaults(func=run_show)


def run_list(args: argparse.Namespace) -> int:
    from advisor.cli.catalog_cmd import format_table
    from advisor.db import list_scenarios, open_database

    engine = open_database()
    try:
        scenarios = list_scenarios(engine)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps([s.model_dump(mode="json") for s in scenarios], indent=2))
        return 0
    rows = [
        [
            s.name,
            str(s.workload.get("model", "")),
            _tokens_m(s.workload.get("tokens_in_per_month")),
            _tokens_m(s.workload.get("tokens_out_per_month")),
            str(len(s.candidates)),
            ", ".join(s.api_offers),
        ]
        for s in scenarios
    ]
    headers = ("Name", "Model", "Input [Mtok/month]", "Output [Mtok/month]", "Candidates", "API offers")
    print(format_table(headers, rows))
    return 0


def run_show(args: argparse.Namespace) -> int:
    from advisor.db import get_scenario, open_database

    engine = open_database()
    try:
        scenario = get_scenario(engine, args.name)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(scenario.model_dump(mode="json"), indent=2))
        return 0
    print(f"{scenario.name}\n{scenario.description}".rstrip())
    print(f"source: {scenario.source} (as of {scenario.as_of})")
    print("workload: " + ", ".join(f"{k}={v}" for k, v in scenario.workload.items()))
    print("finance: " + ", ".join(f"{k}={v}" for k, v in scenario.finance.items()))
    print("candidates: " + ", ".join(scenario.candidates))
    print("API offers: " + ", ".join(scenario.api_offers))
    return 0


def _tokens_m(value: Any) -> str:
    if not isinstance(value, int | float):
        return ""
    return f"{value / 1e6:,.1f}"
