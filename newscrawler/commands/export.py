"""``newscrawler export``: write the data folder as one data set file.

One row per record: force, area, date (ISO), time (where the record gave one), url, title,
description, body (Markdown), word_count, content_hash, and from the state when there is one
fetched_at, first_seen, last_changed. Rows are sorted by area, date and url, so exporting the
same data twice gives the same bytes. `--history` writes the earlier versions of edited
articles instead, with when each was replaced. JSON Lines and CSV (RFC 4180) need nothing more; Parquet
needs pyarrow (`pip install "newscrawler[parquet]"`). `--out -` writes to standard output.
Record files that cannot be read are left out and counted; the exit status is then 1,
unless --skip-unreadable says that is expected.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newscrawler.commands.common import (
    STDOUT,
    CommandError,
    UsageError,
    add_command,
    add_data_folder,
    add_forces,
    add_out_file,
    add_window,
    chosen_forces,
    existing_folder,
    window,
)
from newscrawler.exporters import (
    FIELDS,
    FORMATS,
    HISTORY_FIELDS,
    WRITERS,
    Selection,
    Unreadable,
    export,
    iter_history_rows,
    iter_rows,
)
from newscrawler.state import StateError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "export",
        help="export records as one JSON Lines, CSV or Parquet file",
        description=__doc__,
        examples=(
            "newscrawler export --out police-news.parquet",
            "newscrawler export kent --since 2024-01-01 --out kent.csv",
            "newscrawler export --data /srv/police-news --format jsonl --out - | jq .title",
            "newscrawler export --history --out versions.csv",
        ),
    )
    add_forces(p, every_by_default=True, old_option=True)
    add_data_folder(p, "the data folder to export")
    add_out_file(p, "the file to write")
    p.add_argument("--format", choices=FORMATS, help="file format (default: from the --out extension)")
    add_window(p, days=False)
    p.add_argument(
        "--history",
        action="store_true",
        help="export the earlier versions of edited articles (from the state) instead of the records",
    )
    p.add_argument(
        "--skip-unreadable",
        action="store_true",
        help="leave out record files that cannot be read and still exit 0 (default: exit 1)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    to_stdout = args.out == STDOUT
    fmt = args.format or ("" if to_stdout else Path(args.out).suffix.lstrip(".").lower())
    if fmt not in FORMATS:
        raise UsageError(f"say --format {'|'.join(FORMATS)} (cannot tell from {Path(args.out).name!r})")
    forces = chosen_forces(args)
    since, until = window(args)
    data = existing_folder(args.data)
    selection = Selection.of([f.slug for f in forces] if forces else None, since, until)
    unreadable: Unreadable = []
    try:
        if to_stdout:
            source = (
                iter_history_rows(data, selection) if args.history else iter_rows(data, selection, unreadable)
            )
            rows = WRITERS[fmt](source, sys.stdout.buffer, HISTORY_FIELDS if args.history else FIELDS)
            sys.stdout.flush()
        else:
            rows = export(data, args.out, fmt, selection, unreadable, history=args.history)
    except StateError as exc:
        raise CommandError(str(exc)) from None
    except ImportError as exc:
        raise CommandError(f'{fmt} needs {exc.name}: pip install "newscrawler[parquet]"') from None
    where = "standard output" if to_stdout else f"{args.out} ({Path(args.out).stat().st_size:,} bytes)"
    print(f"{rows} rows written to {where}", file=sys.stderr)
    return say_unreadable(unreadable, data, args.skip_unreadable)


def say_unreadable(unreadable: Unreadable, data: Path, skip: bool) -> int:
    """Record files left out, counted and the first named; exit 1 unless --skip-unreadable."""
    if not unreadable:
        return 0
    path, why = unreadable[0]
    print(
        f"newscrawler export: {len(unreadable)} record file(s) could not be read and are not in the "
        f"export (first: {path}: {why}); `newscrawler validate --data {data}` names them all",
        file=sys.stderr,
    )
    return 0 if skip else 1
