"""Command line: `python main.py <subcommand>`; no subcommand opens the desktop app.

Exit codes (DESIGN §4, other tools depend on them): 0 ok, 2 bad input (one line on stderr naming the
field/row), 1 internal error. Each subcommand group lives in its own module with a
``register(subparsers)`` function that adds its parser and sets ``func(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

from advisor import __version__
from advisor.errors import InputError

# Subcommand modules, in help order. A module missing from this checkout is simply not offered.
SUBCOMMAND_MODULES = (
    "advisor.cli.estimate_cmd",
    "advisor.cli.recommend_cmd",
    "advisor.cli.report_cmd",
    "advisor.cli.prices_cmd",
    "advisor.cli.models_cmd",
    "advisor.cli.catalog_cmd",
    "advisor.cli.scenario_cmd",
    "advisor.cli.calibrate_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rig-advisor",
        description="Buy hardware for local LLM inference or keep paying an API? Without a subcommand the "
        "desktop app opens.",
    )
    parser.add_argument("--version", action="version", version=f"rig-advisor {__version__}")
    gui = parser.add_argument_group("desktop app (headless checks)")
    gui.add_argument("--smoke", action="store_true", help="open the main window offscreen, process events, exit 0")
    gui.add_argument("--screenshot", metavar="FILE", help="render the main window at 1400x900 to a PNG and exit")
    gui.add_argument("--scenario", metavar="NAME", help="scenario to open (with --smoke/--screenshot)")
    gui.add_argument("--page", metavar="NAME", help="page to show (with --screenshot)")
    subparsers = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")
    for module_name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        module.register(subparsers)
    return parser


GuiLauncher = Callable[[argparse.Namespace], int]


def main(argv: list[str] | None = None, gui: GuiLauncher | None = None) -> int:
    """Run a subcommand; without one, hand over to ``gui`` (main.py passes the Qt app: the core never
    imports ui/ itself)."""
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            if gui is None:
                parser.print_help()
                return 0
            return int(gui(args))
        return int(args.func(args))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # an internal error: one line, exit 1 (RIG_ADVISOR_DEBUG=1 shows the traceback)
        import os

        if os.environ.get("RIG_ADVISOR_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
