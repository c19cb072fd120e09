"""``newscrawler scrape``: fetch given article URLs; write them into --data or print them."""

from __future__ import annotations

import argparse

from newscrawler.commands.common import (
    CommandError,
    UsageError,
    add_command,
    add_data_folder,
    add_fetch_options,
)
from newscrawler.forces import registry
from newscrawler.mirrors import MirrorError, Mirrors
from newscrawler.runner import OutputError, build_settings, check_writable, parse_overrides, run_crawl


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "scrape",
        help="fetch article URLs; print the records, or write them with --data",
        description="Fetch the given article URLs (force and platform found from each URL) and "
        "print each record in the file format, or write them into a data folder with --data.",
        examples=("newscrawler scrape https://www.kent.police.uk/news/kent/news/x/y/",),
    )
    p.add_argument("urls", nargs="+", help="article URLs on a force's own site")
    add_data_folder(
        p, "write records into this data folder instead of printing them", default=None, old_out=True
    )
    add_fetch_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    reg = registry()
    sites = {}
    for url in args.urls:
        found = reg.for_url(url)
        if found is None:
            raise UsageError(f"no force has a site at {url}")
        sites[url] = found[1]
    try:
        mirrors = Mirrors.parse(args.mirror)
        parse_overrides(args.settings)
    except (MirrorError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    # Every address must be fetchable through the mirrors given; more mirrors than the
    # addresses need are fine (a replica prints one per site it serves).
    for url, site in sites.items():
        if mirrors and not mirrors.covers(site.origin):
            raise UsageError(f"no --mirror serves the site of {url} ({site.origin})")
    if args.data:
        try:
            check_writable(args.data)
        except OutputError as exc:
            raise CommandError(str(exc)) from None
    settings = build_settings(str(args.data or "-"), mirrors, args.settings, log_name="scrape")
    if not args.data:
        settings.set("LOG_LEVEL", "ERROR", priority="cmdline")
        settings.set("NEWSCRAWLER_PROGRESS", "quiet", priority="cmdline")
    results = run_crawl(settings, urls=list(args.urls)).forces
    written = sum(r.counts.get(k, 0) for r in results for k in ("new", "updated", "unchanged"))
    return 0 if written == len(set(args.urls)) else 1
