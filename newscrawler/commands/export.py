"""``newscrawler export``: write an output folder as one data set file.

One row per record: force, area, date (ISO), time (where the record gave one), url, title,
description, body (Markdown), word_count, content_hash, and from the state when there is one
fetched_at, first_seen, last_changed. Rows are sorted by area, date and url, so exporting the
same data twice gives the same bytes. JSON Lines and CSV (RFC 4180) need nothing more; Parquet
needs pyarrow (``pip install "newscrawler[parquet]"``).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from newscrawler.commands.common import add_command, add_data_dir
from newscrawler.dates import parse_cli_date
from newscrawler.exporters import FORMATS, Selection, export
from newscrawler.forces import UnknownForceError
from newscrawler.state import StateError


def _date(text: str) -> date:
    """An ISO date argument, with the same message as every other command."""
    try:
        return parse_cli_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "export",
        help="export records as one JSON Lines, CSV or Parquet file",
        description=__doc__,
        examples=(
            "newscrawler export --out police-news.parquet",
            "newscrawler export --format csv --out kent.csv --forces kent --since 2024-01-01",
            "newscrawler export --out all.jsonl /srv/police-news",
            "newscrawler export --history --out versions.csv",
        ),
    )
    add_data_dir(p, "output folder to export")
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="the file to write")
    p.add_argument("--format", choices=FORMATS, help="file format (default: from the --out extension)")
    p.add_argument(
        "--forces",
        nargs="+",
        metavar="FORCE",
        help="only these forces (slugs, areas or names; commas work too)",
    )
    p.add_argument("--since", type=_date, metavar="YYYY-MM-DD", help="only articles published on or after")
    p.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help="only articles published on or before")
    p.add_argument(
        "--history",
        action="store_true",
        help="export the earlier versions of edited articles (from the state) instead of the records",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    fmt = args.format or args.out.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        print(
            f"newscrawler export: say --format {'|'.join(FORMATS)} (cannot tell from {args.out.name!r})",
            file=sys.stderr,
        )
        return 2
    try:
        selection = Selection.of(args.forces, args.since, args.until)
        rows = export(args.data_dir, args.out, fmt, selection, history=args.history)
    except (OSError, UnknownForceError, StateError) as exc:
        print(f"newscrawler export: {exc}", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(
            f'newscrawler export: {fmt} needs {exc.name}: pip install "newscrawler[parquet]"', file=sys.stderr
        )
        return 1
    print(f"{rows} rows written to {args.out} ({args.out.stat().st_size:,} bytes)", file=sys.stderr)
    return 0
