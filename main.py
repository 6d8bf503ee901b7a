"""Rig Advisor entry point: no argument opens the desktop app, a subcommand runs the CLI.

`python main.py`, the installed `rig-advisor` (GUI script) and `rig-advisor-cli` all end up in
:func:`advisor.cli.main`, which decides between the two.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from advisor.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
