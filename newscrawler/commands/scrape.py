"""``newscrawler scrape``: fetch given article URLs; write them under --out or print them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newscrawler.commands.common import add_command, add_fetch_options
from newscrawler.forces import registry
from newscrawler.mirrors import MirrorError, Mirrors
from newscrawler.runner import OutputError, build_settings, check_writable, run_crawl


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "scrape",
        help="fetch article URLs; print the records, or write them with --out",
        description="Fetch the given article URLs (force and platform found from each URL) and "
        "print each record in the file format, or write them under --out.",
        examples=("newscrawler scrape https://www.kent.police.uk/news/kent/news/x/y/",),
    )
    p.add_argument("urls", nargs="+", help="article URLs on a force's own site")
    p.add_argument("--out", help="write records under this folder instead of printing them")
    add_fetch_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    reg = registry()
    unknown = [u for u in args.urls if reg.for_url(u) is None]
    if unknown:
        for url in unknown:
            print(f"newscrawler scrape: no force has a site at {url}", file=sys.stderr)
        return 2
    try:
        mirrors = Mirrors.parse(args.mirror)
        if args.out:
            check_writable(Path(args.out))
        settings = build_settings(args.out or "-", mirrors, args.settings, log_name="scrape")
    except (MirrorError, OutputError, ValueError) as exc:
        print(f"newscrawler scrape: {exc}", file=sys.stderr)
        return 2
    if not args.out:
        settings.set("LOG_LEVEL", "ERROR", priority="cmdline")
        settings.set("NEWSCRAWLER_PROGRESS", "quiet", priority="cmdline")
    results = run_crawl(settings, urls=list(args.urls)).forces
    written = sum(r.counts.get(k, 0) for r in results for k in ("new", "updated", "unchanged"))
    return 0 if written == len(set(args.urls)) else 1
