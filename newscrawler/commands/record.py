"""``newscrawler record``: save a live article page as a parser fixture.

Writes ``<out>/<platform>/<name>.html.gz`` (the page as served), ``<name>.url`` (its address)
and ``<name>.md`` (the record the parser makes of it today). Review the ``.md`` by eye and
correct it to what the page really says: ``tests/test_platforms.py`` then holds the parser to
it. Like ``scrapy savefixture``, for someone who can see the live site.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scrapy.http import HtmlResponse

from newscrawler.commands.check import FetchError, fetch
from newscrawler.commands.common import UsageError, add_command, add_mirror_option
from newscrawler.forces import UnknownForceError, registry
from newscrawler.mirrors import MirrorError, Mirrors
from newscrawler.platforms import UnsupportedPlatformError, platform_for
from newscrawler.platforms.base import ExtractionError, NotAnArticle

FIXTURES = Path("tests/fixtures")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "record",
        help="save a live article page as a parser fixture (page + record to review)",
        description=__doc__,
        examples=(
            "newscrawler record "
            "https://www.kent.police.uk/news/kent/news/news/2024/june/some-article/ --force kent",
        ),
    )
    p.add_argument("url", help="the article's address on the force's site")
    p.add_argument("--force", required=True, help="the force whose site it is (slug or area)")
    p.add_argument("--name", help="fixture name (default: from the URL's last path segment)")
    p.add_argument("--out", type=Path, default=FIXTURES, help=f"fixtures folder (default: {FIXTURES})")
    add_mirror_option(p, "fetch ORIGIN's pages from URL (e.g. a web archive); repeatable")
    p.set_defaults(run=run)


def fixture_name(url: str) -> str:
    """A file name from the URL's last path segment (or its query, for ``?id=`` pages)."""
    parts = urlsplit(url)
    words = re.sub(r"\.aspx?$", "", unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]), flags=re.I)
    return re.sub(r"[^a-z0-9]+", "-", f"{words} {parts.query}".lower()).strip("-")[:60] or "page"


def fail(message: str) -> int:
    print(f"newscrawler record: {message}", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    try:
        force = registry().get(args.force)
        mirrors = Mirrors.parse(args.mirror)
    except (UnknownForceError, MirrorError) as exc:
        raise UsageError(str(exc)) from None
    site = force.site_for_url(args.url)
    if site is None:
        raise UsageError(f"{args.url} is on none of {force.slug}'s sites (`newscrawler forces` lists them)")
    try:
        platform = platform_for(force, site)
        body = fetch(args.url, mirrors)
    except (UnsupportedPlatformError, FetchError) as exc:
        return fail(str(exc))
    stem = args.out / site.platform / (args.name or fixture_name(args.url))
    stem.parent.mkdir(parents=True, exist_ok=True)
    stem.with_name(stem.name + ".html.gz").write_bytes(gzip.compress(body, mtime=0))
    stem.with_name(stem.name + ".url").write_text(args.url + "\n", encoding="utf-8")
    print(f"saved {stem}.html.gz and {stem.name}.url", file=sys.stderr)
    try:
        article = platform.parse(HtmlResponse(url=args.url, body=body))
    except (NotAnArticle, ExtractionError) as exc:
        return fail(f"no record written, the parser says: {exc}")
    stem.with_name(stem.name + ".md").write_text(article.render(), encoding="utf-8")
    print(f"wrote {stem}.md: review it against the page before committing", file=sys.stderr)
    return 0
