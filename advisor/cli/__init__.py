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
from typing import NoReturn

from advisor import __version__
from advisor.errors import InputError

# Subcommand -> module, in help order. Only the module of the subcommand being run is imported, so a
# CLI call does not pay for the imports of the others (reportlab, requests, ...).
SUBCOMMAND_MODULES = {
    "estimate": "advisor.cli.estimate_cmd",
    "recommend": "advisor.cli.recommend_cmd",
    "report": "advisor.cli.report_cmd",
    "prices": "advisor.cli.prices_cmd",
    "models": "advisor.cli.models_cmd",
    "catalog": "advisor.cli.catalog_cmd",
    "scenario": "advisor.cli.scenario_cmd",
    "calibrate": "advisor.cli.calibrate_cmd",
}


def _wanted_command(argv: list[str]) -> str | None:
    """The subcommand named in argv (first word that is one), or None."""
    for arg in argv:
        if arg in SUBCOMMAND_MODULES:
            return arg
    return None


def _has_stray_word(argv: list[str]) -> bool:
    """True when argv holds --help or a word that is neither an option nor an option's value: then every
    subcommand is registered so argparse can list them in its help or error message."""
    takes_value = {"--screenshot", "--scenario", "--page", "--size"}
    previous = ""
    for arg in argv:
        if arg in ("-h", "--help") or (not arg.startswith("-") and previous not in takes_value):
            return True
        previous = arg
    return False


class OneLineParser(argparse.ArgumentParser):
    """A usage error is ONE line on stderr naming the argument, exit 2 (the CLI contract for bad input);
    ``--help`` still prints the whole usage."""

    def error(self, message: str) -> NoReturn:
        # argparse says "argument --count: invalid int value: 'nan'"; the contract's form is "error: --count: ..."
        text = message.removeprefix("argument ")
        self.exit(2, f"error: {text} (see {self.prog} --help)\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The CLI parser; ``only`` registers just that subcommand (all when None, e.g. for --help)."""
    parser = OneLineParser(
        prog="rig-advisor",
        description="Buy hardware for local LLM inference or keep paying an API? Without a subcommand the "
        "desktop app opens.",
    )
    parser.add_argument("--version", action="version", version=f"rig-advisor {__version__}")
    gui = parser.add_argument_group("desktop app (headless checks)")
    gui.add_argument("--smoke", action="store_true", help="open the main window offscreen, process events, exit 0")
    gui.add_argument("--screenshot", metavar="FILE", help="render the main window (1400x900 or --size) to a PNG and exit")
    gui.add_argument("--scenario", metavar="NAME", help="scenario to open (with --smoke/--screenshot)")
    gui.add_argument("--page", metavar="NAME", help="page to show (with --screenshot)")
    gui.add_argument("--size", metavar="WxH", help="window size for --screenshot in pixels (default 1400x900)")
    subparsers = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")
    if only == "__none__":
        names: list[str] = []
    else:
        names = [only] if only in SUBCOMMAND_MODULES else list(SUBCOMMAND_MODULES)
    for module_name in (SUBCOMMAND_MODULES[name] for name in names):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        module.register(subparsers)
    return parser


def _check_screenshot_target(path: str | None) -> None:
    """Refuse a screenshot path in a missing folder before Qt starts (a typo must not create folders)."""
    if not path:
        return
    from pathlib import Path

    target = Path(path)
    if target.is_dir():
        raise InputError("is a directory; give a file name such as shot.png", field="--screenshot")
    if not target.parent.is_dir():
        raise InputError(f"folder {target.parent} does not exist", field="--screenshot")


GuiLauncher = Callable[[argparse.Namespace], int]


def main(argv: list[str] | None = None, gui: GuiLauncher | None = None) -> int:
    """Run a subcommand; without one, hand over to ``gui`` (main.py passes the Qt app: the core never
    imports ui/ itself)."""
    argv = sys.argv[1:] if argv is None else argv
    wanted = _wanted_command(argv)
    if wanted is None and not _has_stray_word(argv):
        wanted = "__none__"  # the GUI or --version: no subcommand module needed
    parser = build_parser(only=wanted)
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            if gui is None:
                parser.print_help()
                return 0
            _check_screenshot_target(args.screenshot)
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
    except Exception as exc:
        # A full disk, a read-only file, a busy database: the user's to fix, exit 2 (advisor.faults).
        from advisor.faults import as_input_error

        fault = as_input_error(exc)
        if fault is not None:
            print(f"error: {fault}", file=sys.stderr)
            return 2
        import os

        if os.environ.get("RIG_ADVISOR_DEBUG"):  # an internal error: one line, exit 1 (or the traceback)
            raise
        print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
