"""The ``newscrawler`` command. Each subcommand lives in ``newscrawler/commands/<name>.py``
with ``add_parser(subparsers)`` and ``run(args) -> int``; this file only dispatches."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from newscrawler import __version__

#: Subcommands, in the order ``--help`` lists them.
COMMANDS = [
    "crawl",
    "backfill",
    "scrape",
    "parse",
    "format",
    "state",
    "schedule",
    "import_",
    "validate",
    "export",
    "report",
    "replica",
    "forces",
    "check",
    "record",
]


EXAMPLES = """examples:
  newscrawler forces                                every force, its platform and news address
  newscrawler crawl --all --days 30                 the last 30 days of every force into data/
  newscrawler crawl kent essex --since 2024-01-01
  newscrawler schedule --every 1h --all --install   an hourly incremental run (cron)
  newscrawler export --format parquet --out news.parquet
  newscrawler report --out report.html

Run `newscrawler COMMAND --help` for a command's options and examples."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newscrawler",
        description="A polite, exact, incremental archive of UK police forces' news.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newscrawler {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"newscrawler.commands.{name.replace('-', '_')}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("newscrawler: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
