"""``newscrawler crawl``: crawl forces' news into the output folder."""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta

from newscrawler.commands.common import add_command, add_fetch_options, add_out_dir
from newscrawler.dates import parse_cli_date
from newscrawler.forces import UnknownForceError, registry
from newscrawler.mirrors import MirrorError, Mirrors
from newscrawler.runner import OutputError, build_settings, check_writable, run_crawl
from newscrawler.runs import RunLock, RunLockedError

EXAMPLES = (
    "newscrawler crawl kent essex --since 2024-01-01",
    "newscrawler crawl --all --days 30",
    "newscrawler crawl bedfordshire "
    "--mirror https://www.bedfordshire.police.uk=http://127.0.0.1:8080/www.bedfordshire.police.uk",
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "crawl",
        help="crawl forces' news into the output folder",
        description="Crawl forces' news (feeds, listings, sitemaps) into OUT/news/<Area>/.",
        examples=EXAMPLES,
    )
    p.add_argument("forces", nargs="*", help="force slugs or areas (see `newscrawler forces`)")
    p.add_argument("--all", action="store_true", help="every force in the registry")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="only articles published on or after")
    p.add_argument("--until", metavar="YYYY-MM-DD", help="only articles published on or before")
    p.add_argument("--days", type=int, metavar="N", help="only the last N days (sets --since)")
    p.add_argument("--max-articles", type=int, metavar="N", help="at most N articles per force")
    add_out_dir(p)
    p.add_argument(
        "--full",
        action="store_true",
        help="ignore the state: read every listing to the end and fetch every article",
    )
    p.add_argument(
        "--no-warc",
        action="store_true",
        help="do not keep the raw pages (WARC files in OUT/warc/, for `newscrawler reparse`)",
    )
    talk = p.add_mutually_exclusive_group()
    talk.add_argument(
        "-q", "--quiet", action="store_true", help="no progress; only forces that failed, at the end"
    )
    talk.add_argument(
        "-v", "--verbose", action="store_true", help="also show each article and the crawl's warnings"
    )
    add_fetch_options(p)
    p.set_defaults(run=run)


def fail(message: str) -> int:
    print(f"newscrawler crawl: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    if not args.forces and not args.all:
        return fail("name at least one force, or --all (`newscrawler forces` lists them)")
    try:
        forces = [f.slug for f in registry().resolve(args.forces)] if not args.all else []
        since = parse_cli_date(args.since) if args.since else None
        until = parse_cli_date(args.until) if args.until else None
        if args.days is not None:
            since = date.today() - timedelta(days=args.days)
        if since and until and since > until:
            raise ValueError(f"--since {since} is after --until {until}")
        mirrors = Mirrors.parse(args.mirror)
        check_writable(args.out)
        settings = build_settings(str(args.out), mirrors, args.settings)
        if args.full:
            settings.set("NEWSCRAWLER_FULL", True, priority="cmdline")
        if args.no_warc:
            settings.set("NEWSCRAWLER_WARC", False, priority="cmdline")
        if args.quiet:
            settings.set("NEWSCRAWLER_PROGRESS", "quiet", priority="cmdline")
        if args.verbose:
            settings.set("NEWSCRAWLER_VERBOSE", True, priority="cmdline")
    except (UnknownForceError, MirrorError, OutputError, ValueError) as exc:
        return fail(str(exc))
    try:
        lock = RunLock(args.out)
        lock.acquire()
    except RunLockedError as exc:
        return fail(str(exc))
    if not args.quiet:
        print(f"newscrawler: crawling into {args.out}; log: {settings.get('LOG_FILE')}", file=sys.stderr)
    try:
        outcome = run_crawl(
            settings,
            forces=",".join(forces),
            all=args.all,
            since=since.isoformat() if since else None,
            until=until.isoformat() if until else None,
            max_articles=args.max_articles,
        )
    finally:
        lock.release()
    if outcome.finish_reason != "finished":
        print(f"newscrawler crawl: the run stopped early ({outcome.finish_reason})", file=sys.stderr)
    return 0 if outcome.ok else 1
