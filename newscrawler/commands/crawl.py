"""``newscrawler crawl``: crawl forces' news into the data folder."""

from __future__ import annotations

import argparse
import sys

from newscrawler.commands.common import (
    CommandError,
    UsageError,
    add_command,
    add_data_folder,
    add_fetch_options,
    add_forces,
    add_talk_options,
    add_window,
    chosen_forces,
    mirrored_forces,
    positive_int,
    talk_settings,
    window,
)
from newscrawler.mirrors import MirrorError, Mirrors
from newscrawler.runner import OutputError, build_settings, check_writable, parse_overrides, run_crawl
from newscrawler.runs import RunLock, RunLockedError

EXAMPLES = (
    "newscrawler crawl kent essex --since 2024-01-01",
    "newscrawler crawl --all --days 30 --data /srv/police-news",
    "newscrawler crawl bedfordshire "
    "--mirror https://www.bedfordshire.police.uk=http://127.0.0.1:8080/www.bedfordshire.police.uk",
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "crawl",
        help="crawl forces' news into the data folder",
        description="Crawl forces' news (feeds, listings, sitemaps) into DIR/news/<Area>/.",
        examples=EXAMPLES,
    )
    add_forces(p, every_by_default=False)
    add_window(p, days=True)
    p.add_argument("--max-articles", type=positive_int, metavar="N", help="at most N articles per force")
    add_data_folder(p, "the data folder to write", old_out=True)
    p.add_argument(
        "--full",
        action="store_true",
        help="ignore the state: read every listing to the end and fetch every article",
    )
    p.add_argument(
        "--no-warc",
        action="store_true",
        help="do not keep the raw pages (WARC files in DIR/warc/, for `newscrawler reparse`)",
    )
    add_talk_options(p, "crawl")
    add_fetch_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    since, until = window(args)
    try:
        mirrors = Mirrors.parse(args.mirror)
        parse_overrides(args.settings)
    except (MirrorError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    forces = mirrored_forces(chosen_forces(args), mirrors)
    try:
        check_writable(args.data)
    except OutputError as exc:
        raise CommandError(str(exc)) from None
    settings = build_settings(str(args.data), mirrors, args.settings)
    if args.full:
        settings.set("NEWSCRAWLER_FULL", True, priority="cmdline")
    if args.no_warc:
        settings.set("NEWSCRAWLER_WARC", False, priority="cmdline")
    talk_settings(settings, args)
    try:
        lock = RunLock(args.data)
        lock.acquire()
    except RunLockedError as exc:
        raise CommandError(str(exc)) from None
    if not args.quiet:
        print(f"newscrawler: crawling into {args.data}; log: {settings.get('LOG_FILE')}", file=sys.stderr)
    try:
        outcome = run_crawl(
            settings,
            forces=",".join(f.slug for f in forces or []),
            all=forces is None,
            since=since.isoformat() if since else None,
            until=until.isoformat() if until else None,
            max_articles=args.max_articles,
        )
    finally:
        lock.release()
    if outcome.unsaved:
        print(
            f"newscrawler crawl: {outcome.unsaved} record(s) read but not saved; the log says why "
            f"({settings.get('LOG_FILE')})",
            file=sys.stderr,
        )
    if outcome.finish_reason != "finished":
        print(f"newscrawler crawl: the run stopped early ({outcome.finish_reason})", file=sys.stderr)
    return 0 if outcome.ok else 1
