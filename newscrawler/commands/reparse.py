"""``newscrawler reparse``: records made again from the pages a crawl kept, with no network.

Reads the WARC files a crawl wrote (DIR/warc/ when none are named; a folder stands for the
WARCs in it), parses each stored article page with today's parsers, and writes the records
and their state rows into the data folder DIR, as the crawl would have. With an unchanged parser nothing
changes. Prints each record file that is new or changed (`new PATH` / `updated PATH`),
each page that gave no record (on stderr), and the counts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newscrawler import settings
from newscrawler.commands.common import CommandError, UsageError, add_command, add_data_folder
from newscrawler.reparse import Reparser
from newscrawler.runs import RunLock, RunLockedError
from newscrawler.state import State, StateError
from newscrawler.warc import OPEN_SUFFIX, SUFFIX, WARC_DIR, WarcError, finished_warcs


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "reparse",
        help="make records again from the stored pages (WARC), with today's parsers",
        description=__doc__,
        examples=(
            "newscrawler reparse                     # every WARC in data/warc/, into data/",
            "newscrawler reparse --dry-run           # what a fixed parser would change",
            "newscrawler reparse data/warc/newscrawler-20250101060000000-00000.warc.gz",
        ),
    )
    p.add_argument(
        "warcs", nargs="*", type=Path, metavar="WARC", help="WARC files or folders (default: DIR/warc)"
    )
    add_data_folder(p, "the data folder to write the records into")
    p.add_argument("--dry-run", action="store_true", help="write nothing: list what would change")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    paths = args.warcs or [args.data / WARC_DIR]
    for path in paths:
        if path.is_dir():
            for leftover in sorted(path.glob("*" + OPEN_SUFFIX)):
                print(f"{leftover}: still open (a crawl is writing it, or died): skipped", file=sys.stderr)
        elif not path.is_file():
            raise UsageError(f"{path}: no such file or folder")
        elif not path.name.endswith(SUFFIX):
            raise UsageError(f"{path}: not a finished WARC file (*{SUFFIX})")
    warcs = list(finished_warcs(paths))
    reparser = Reparser(args.data, max_size=settings.DOWNLOAD_MAXSIZE)
    try:
        with RunLock(args.data):
            if args.dry_run:
                report = reparser.reparse(warcs, None)
            else:
                with State.open(args.data) as state:
                    report = reparser.reparse(warcs, state)
    except (RunLockedError, StateError, WarcError) as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"cannot read the stored pages: {exc.strerror or exc}") from None
    verb = "would be " if args.dry_run else ""
    for path, result in report.changed.items():
        print(f"{verb}{result} {path}")
    for url, why in report.failed:
        print(f"{url}: no record: {why}", file=sys.stderr)
    print(f"newscrawler reparse: {'dry run: ' if args.dry_run else ''}{report.summary()}", file=sys.stderr)
    return 0
