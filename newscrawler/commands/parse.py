"""``newscrawler parse``: saved pages → records, with no network.

The n-th ``--url`` is the address the n-th page was fetched from (it decides the force and the
platform, and is the record's url unless the page names its canonical address).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.http import HtmlResponse

from newscrawler.commands.common import UsageError, add_command, add_data_folder, os_error_message
from newscrawler.forces import registry
from newscrawler.platforms import UnsupportedPlatformError, platform_for
from newscrawler.platforms.base import ExtractionError, NotAnArticle
from newscrawler.record import Article, ArticleWriter


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "parse",
        help="turn saved article pages into records (no network)",
        description=__doc__,
        examples=("newscrawler parse page.html --url https://www.kent.police.uk/news/kent/news/x/y/",),
    )
    p.add_argument("pages", nargs="+", type=Path, help="saved HTML pages (.html or .html.gz)")
    p.add_argument("--url", action="append", required=True, help="the page's address (one per page)")
    add_data_folder(
        p, "write records into this data folder instead of printing them", default=None, old_out=True
    )
    p.set_defaults(run=run)


def read_page(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":
        import gzip

        data = gzip.decompress(data)
    return data


def parse_page(body: bytes, url: str) -> Article:
    """One saved page → its record (raises ValueError subclasses with a clear message)."""
    found = registry().for_url(url)
    if found is None:
        raise ValueError(f"no force has a site at {url}")
    force, site = found
    platform = platform_for(force, site)
    return platform.parse(HtmlResponse(url=url, body=body))


def run(args: argparse.Namespace) -> int:
    if len(args.url) != len(args.pages):
        raise UsageError(
            f"{len(args.pages)} pages but {len(args.url)} --url values; "
            "give one --url per page, in the same order"
        )
    status = 0
    writer = ArticleWriter(args.data) if args.data else None
    for path, url in zip(args.pages, args.url, strict=True):
        try:
            article = parse_page(read_page(path), url)
            if writer is None:
                sys.stdout.write(article.render())
            else:
                written, result = writer.write(article)
                print(f"{path}: {result.value} {written}", file=sys.stderr)
        except OSError as exc:
            print(f"newscrawler parse: {os_error_message(exc, 'read')}", file=sys.stderr)
            status = 1
        except (ValueError, UnsupportedPlatformError, NotAnArticle, ExtractionError) as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            status = 1
    return status
