"""Rig Advisor entry point: no argument opens the desktop app, a subcommand runs the CLI.

`python main.py`, the installed `rig-advisor` (GUI script) and `rig-advisor-cli` (console twin) all run
:func:`main`. The core (`advisor/`) never imports Qt, so the GUI branch is wired here.
"""

from __future__ import annotations

import argparse
import sys


def _run_gui(args: argparse.Namespace) -> int:
    from ui.app import run_app  # Qt is imported only on this path

    return int(
        run_app(
            smoke=args.smoke,
            screenshot=args.screenshot,
            scenario=args.scenario,
            page=args.page,
            size=getattr(args, "size", None),
        )
    )


def main(argv: list[str] | None = None) -> int:
    from advisor.cli import main as cli_main

    return cli_main(argv, gui=_run_gui)


if __name__ == "__main__":
    sys.exit(main())
