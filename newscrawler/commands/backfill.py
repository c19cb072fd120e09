"""``newscrawler backfill``: a force's earlier sites read back from a web archive."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from newscrawler.archive import Archive, ArchiveError, sites_for_years
from newscrawler.commands.common import (
    CommandError,
    UsageError,
    add_command,
    add_data_folder,
    add_forces,
    add_settings_option,
    add_talk_options,
    chosen_forces,
    talk_settings,
)
from newscrawler.forces import registry
from newscrawler.mirrors import Mirrors
from newscrawler.runner import OutputError, build_settings, check_writable, parse_overrides, run_crawl
from newscrawler.runs import RunLock, RunLockedError
from newscrawler.spiders.archive import ArchiveSpider

DESCRIPTION = """\
Back-fill forces' earlier sites from a web archive into DIR/news/<Area>/.

The archive's index (CDX) lists the captured article addresses of each site whose years
meet --from/--to (default: the years of the force's earlier sites; --from alone: to this
year). Each is fetched once, raw, from its oldest capture in its site's years, read by the
parser of that site's platform, and written under its own address, with the state and a run
report as a crawl. Articles already in the state are not fetched again: run the same command
again to resume a stopped back-fill.

--archive takes the address snapshots are replayed from:
  https://web.archive.org/web          the Internet Archive (index: /cdx/search/cdx)
  http://127.0.0.1:8080/my-coll        a pywb collection (index: .../my-coll/cdx)
--cdx names the index of another archive.

Polite by default: one request at a time, 2 s apart (more when the archive slows down), with
backoff on 429 and 5xx and Retry-After obeyed; -s DOWNLOAD_DELAY=… changes the pace."""

EXAMPLES = (
    "newscrawler backfill bedfordshire --archive https://web.archive.org/web --from 2015 --to 2021",
    "newscrawler backfill bedfordshire cambridgeshire hertfordshire --archive https://web.archive.org/web",
    "newscrawler backfill bedfordshire --archive http://127.0.0.1:8080/police --data /srv/police-news",
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "backfill",
        help="back-fill forces' earlier sites from a web archive",
        description=DESCRIPTION,
        examples=EXAMPLES,
    )
    add_forces(p, every_by_default=False)
    p.add_argument(
        "--archive",
        required=True,
        metavar="URL",
        help="where the archive replays snapshots (https://web.archive.org/web, or a pywb collection)",
    )
    p.add_argument("--cdx", metavar="URL", help="the archive's CDX index, when not where IA or pywb has it")
    p.add_argument("--from", dest="year_from", type=int, metavar="YEAR", help="captures from this year")
    p.add_argument("--to", dest="year_to", type=int, metavar="YEAR", help="captures up to this year")
    add_data_folder(p, "the data folder to write")
    add_talk_options(p, "back-fill")
    add_settings_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.year_from is not None and args.year_to is not None and args.year_from > args.year_to:
        raise UsageError(f"--from {args.year_from} is after --to {args.year_to}")
    forces = chosen_forces(args)
    this_year = date.today().year
    every = forces is None
    named = list(registry()) if forces is None else forces
    chosen = [f for f in named if sites_for_years(f, args.year_from, args.year_to, this_year)]
    if not every and len(chosen) < len(named):
        missing = ", ".join(f.slug for f in named if f not in chosen)
        raise UsageError(f"no site of {missing} in the years asked (`newscrawler forces` shows their years)")
    if not chosen:
        raise UsageError("no force has a site in the years asked")
    try:
        archive = Archive.parse(args.archive, args.cdx)
    except ArchiveError as exc:
        raise UsageError(str(exc)) from None
    try:
        parse_overrides(args.settings)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    try:
        check_writable(args.data)
    except OutputError as exc:
        raise CommandError(str(exc)) from None
    settings = build_settings(str(args.data), Mirrors(), args.settings, "backfill", archive)
    talk_settings(settings, args)
    try:
        lock = RunLock(args.data)
        lock.acquire()
    except RunLockedError as exc:
        raise CommandError(str(exc)) from None
    if not args.quiet:
        log = settings.get("LOG_FILE")
        where = f"{args.data} from {archive.replay}"
        print(f"newscrawler: back-filling into {where}; log: {log}", file=sys.stderr)
    try:
        outcome = run_crawl(
            settings,
            ArchiveSpider,
            forces=",".join(f.slug for f in chosen),
            archive=archive.replay,
            cdx=archive.index,
            year_from=args.year_from,
            year_to=args.year_to,
        )
    finally:
        lock.release()
    if outcome.finish_reason != "finished":
        print(f"newscrawler backfill: the run stopped early ({outcome.finish_reason})", file=sys.stderr)
    return 0 if outcome.ok else 1
