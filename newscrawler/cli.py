"""The ``newscrawler`` command. Each subcommand lives in ``newscrawler/commands/<name>.py``
with ``add_parser(subparsers)`` and ``run(args) -> int``; this file dispatches, and turns the
errors of ``commands/common.py``'s conventions into one-line messages and exit statuses."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from newscrawler import __version__
from newscrawler.commands.common import FAILED, USAGE, CommandError, UsageError, os_error_message

#: Subcommands, in the order ``--help`` lists them.
COMMANDS = [
    "crawl",
    "backfill",
    "scrape",
    "parse",
    "reparse",
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
  newscrawler export --out news.parquet
  newscrawler report --out report.html
  newscrawler validate --data /srv/police-news

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
    name = f"newscrawler {args.command}"
    try:
        return int(args.run(args) or 0)
    except UsageError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return USAGE
    except CommandError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return FAILED
    except OSError as exc:  # a file or folder the command could not use: said, not traced
        print(f"{name}: {os_error_message(exc)}", file=sys.stderr)
        return FAILED
    except KeyboardInterrupt:
        print("newscrawler: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
