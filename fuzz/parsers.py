"""Fuzz the parsers with mutated replica pages: no input may crash them.

Seeds are real pages: the replica's article pages, listings, RSS feeds, sitemaps and
robots.txt for the sample records, and the fixture page of every platform. Hypothesis mutates
them (flipped, cut, spliced and duplicated bytes, hostile snippets, other encodings, other
Content-Types) and each result goes where the crawler would send it: the charset fix and the
page checks, then the spider's article, listing, feed, sitemap and robots.txt parsers (and a
record that comes out through the writer's render, parse and path). Any exception is a crash,
shrunk by Hypothesis to a small example and printed.

    .venv/bin/python fuzz/parsers.py --minutes 10      # see fuzz/README.md
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import itertools
import logging
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn
from scrapy import Request
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler

from newscrawler import record
from newscrawler.failures import page_problem
from newscrawler.forces import Force, Site, registry
from newscrawler.middlewares import CharsetMiddleware
from newscrawler.platforms import platform_for
from newscrawler.record import ArticleWriter
from newscrawler.replica import ReplicaServer
from newscrawler.spiders.police import PoliceSpider

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ROOT / "tests" / "data" / "records"
FIXTURES = ROOT / "tests" / "fixtures"

HOSTILE = [
    b'<!DOCTYPE x [<!ENTITY a "&a;&a;">]>',
    b'<!ENTITY xxe SYSTEM "file:///etc/passwd">&xxe;',
    b"&#0;&#xD800;&#x110000;&#99999999999;&bogus;&amp",
    b"<![CDATA[ ]]>]]><!-- unclosed comment",
    b"<script>document.write('</div>')</script>",
    b'<meta charset="utf-16"><meta http-equiv="Content-Type" content="text/html; charset=koi8-r">',
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00\x00\x00",
    b"\xc3\x28\xa0\xa1\xe2\x82\x28\xf0\x28\x8c\xbc",
    b"<h1></h1><h1>404</h1><title>Page not found</title>",
    b'<time datetime="9999-99-99T99:99">32/13/0000 25:61</time>',
    b'<meta property="og:url" content="javascript:alert(1)">',
    b'<link rel="canonical" href="https://www.kent.police.uk/../../../etc/passwd">',
    b'<a href="//evil.example/news/kent/news/x/">x</a><a href="mailto:x">y</a><a href="">',
    b"<div>" * 300,
    b"</div></article></main></body></html>",
    b"<table><tr><td><ul><li><ol><li><pre><code>```\n---\n",
    b'<?xml version="1.0" encoding="ebcdic"?>',
    b"<loc>https://www.kent.police.uk/news/kent/news/a/</loc><sitemap><loc>x</loc></sitemap>",
    b"<item><link>https://www.kent.police.uk/news/kent/news/b/</link><pubDate>Mon, 99 Foo</pubDate></item>",
    b"Sitemap: https://evil.example/s.xml\nSitemap:\nDisallow: /\n",
    "\u202e\u200f\u2028\u0085 £ ’ — é".encode(),
]
CONTENT_TYPES = [
    "text/html; charset=utf-8",
    "text/html",
    "text/html; charset=windows-1252",
    "text/html; charset=utf-16",
    "text/html; charset=bogus",
    "application/rss+xml",
    "application/xml; charset=utf-8",
    "text/plain",
    "application/octet-stream",
    "",
]


@dataclass(frozen=True)
class Seed:
    kind: str  # article, listing, feed, sitemap, robots
    url: str  # on the force's own site
    content_type: str
    body: bytes
    force: Force
    site: Site


def _replica_seeds() -> Iterator[Seed]:
    """Pages of every site the replica builds from the sample records: robots.txt, sitemap,
    listing, feed, and the first articles of the sitemap."""
    reg = registry()
    with ReplicaServer(RECORDS) as server:
        conn = http.client.HTTPConnection("127.0.0.1", int(server.base_url.rsplit(":", 1)[1]), timeout=30)

        def get(mirror: str, url: str) -> tuple[int, str, bytes]:
            parts = urlsplit(url)
            target = quote(parts.path + (f"?{parts.query}" if parts.query else ""), safe="/?=&%")
            conn.request("GET", urlsplit(mirror).path + target)
            response = conn.getresponse()
            return response.status, response.getheader("Content-Type", ""), response.read()

        try:
            for summary in server.sites:
                force = next(f for f in reg if f.slug == summary.force)
                site = next(s for s in force.sites if s.origin.rstrip("/") == summary.origin)
                platform = platform_for(force, site)
                wanted = [
                    ("robots", summary.origin + "/robots.txt"),
                    ("sitemap", summary.origin + "/sitemap.xml"),
                ]
                wanted += [("listing", u) for u in platform.listing_urls()]
                wanted += [("feed", u) for u in platform.feed_urls()]
                for kind, url in wanted:
                    status, content_type, body = get(summary.mirror, url)
                    if status != 200:
                        continue
                    yield Seed(kind, url, content_type, body, force, site)
                    if kind == "sitemap":
                        for loc in body.split(b"<loc>")[1:4]:
                            article = loc.split(b"</loc>")[0].decode()
                            status, content_type, page = get(summary.mirror, article)
                            yield Seed("article", article, content_type, page, force, site)
        finally:
            conn.close()


def _fixture_seeds() -> Iterator[Seed]:
    """The fixture page of every platform (real markup)."""
    reg = registry()
    for page in sorted(FIXTURES.glob("*/*.html.gz")):
        url = page.with_name(page.name.removesuffix(".html.gz") + ".url").read_text().strip()
        found = reg.for_url(url)
        if found is not None:
            yield Seed("article", url, "text/html; charset=utf-8", gzip.decompress(page.read_bytes()), *found)


SEEDS: list[Seed] = []


def _spider(seeds: list[Seed]) -> PoliceSpider:
    """A spider that knows every site of the seeds (mirrors make archive-only sites count)."""
    mirrors = {s.site.origin: "http://127.0.0.1:9/unused" for s in seeds}
    crawler = get_crawler(PoliceSpider, {"NEWSCRAWLER_MIRRORS": mirrors, "NEWSCRAWLER_OUT": "-"})
    spider = PoliceSpider.from_crawler(crawler, forces=",".join(sorted({s.force.slug for s in seeds})))
    spider._choose_sites()
    return spider


# ---- mutations --------------------------------------------------------------------------------


def _at(draw: DrawFn, body: bytes) -> int:
    return int(draw(st.integers(0, len(body))))


def _flip(draw: DrawFn, body: bytes) -> bytes:
    i = _at(draw, body)
    return body[:i] + bytes([draw(st.integers(0, 255))]) + body[i + 1 :]


def _cut(draw: DrawFn, body: bytes) -> bytes:
    i, j = sorted((_at(draw, body), _at(draw, body)))
    return body[:i] + body[j:]


def _truncate(draw: DrawFn, body: bytes) -> bytes:
    return body[: _at(draw, body)]


def _duplicate(draw: DrawFn, body: bytes) -> bytes:
    i, j = sorted((_at(draw, body), _at(draw, body)))
    k = _at(draw, body)
    return body[:k] + body[i:j] * draw(st.integers(1, 3)) + body[k:]


def _hostile(draw: DrawFn, body: bytes) -> bytes:
    i = _at(draw, body)
    return body[:i] + draw(st.sampled_from(HOSTILE)) + body[i:]


def _random_bytes(draw: DrawFn, body: bytes) -> bytes:
    i = _at(draw, body)
    return body[:i] + draw(st.binary(max_size=64)) + body[i:]


def _splice(draw: DrawFn, body: bytes) -> bytes:
    other = SEEDS[draw(st.integers(0, len(SEEDS) - 1))].body
    i, j = sorted((_at(draw, other), _at(draw, other)))
    k = _at(draw, body)
    return body[:k] + other[i:j] + body[k:]


def _reencode(draw: DrawFn, body: bytes) -> bytes:
    codec = draw(st.sampled_from(["cp1252", "latin-1", "utf-16", "utf-16-le", "utf-8-sig", "koi8-r"]))
    return body.decode("utf-8", "replace").encode(codec, "replace")


MUTATIONS = [_flip, _cut, _truncate, _duplicate, _hostile, _random_bytes, _splice, _reencode]


@st.composite
def pages(draw: DrawFn) -> tuple[int, bytes, str]:
    """(index of the seed in SEEDS, mutated body, Content-Type)."""
    index = draw(st.integers(0, len(SEEDS) - 1))
    seed = SEEDS[index]
    body = seed.body
    for _ in range(draw(st.integers(0, 6))):
        body = draw(st.sampled_from(MUTATIONS))(draw, body)
    content_type = draw(st.sampled_from([seed.content_type, *CONTENT_TYPES]))
    return index, body, content_type


# ---- the targets ------------------------------------------------------------------------------


class Targets:
    """Everything a fetched page goes through, for one mutated page."""

    def __init__(self, spider: PoliceSpider, out: Path) -> None:
        self.spider = spider
        self.charset = CharsetMiddleware(spider.crawler)
        self.writer = ArticleWriter(out)
        self.examples = 0

    def response(self, seed: Seed, body: bytes, content_type: str) -> Response:
        key = f"{seed.force.slug} {seed.site.origin}"
        meta = {"platform": key, "origin_url": seed.url, "force": seed.force.slug, "page": 1}
        headers = Headers({"Content-Type": content_type} if content_type else {})
        cls = responsetypes.from_args(headers=headers, url=seed.url, body=body)
        return cls(seed.url, body=body, headers=headers, request=Request(seed.url, meta=meta))

    def run(self, seed: Seed, body: bytes, content_type: str) -> None:
        self.examples += 1
        self.spider.seen.clear()
        self.spider.scheduled.clear()
        raw = self.response(seed, body, content_type)
        assert raw.request is not None
        response = self.charset.process_response(raw.request, raw)
        page_problem(response)
        for parse in (
            self.spider.parse_listing,
            self.spider.parse_feed,
            self.spider.parse_sitemap,
            self.spider.parse_robots,
        ):
            for _ in parse(response):
                pass
        for item in self.spider.parse_article(response):
            article = item.to_article()
            back = record.parse(article.render())
            assert (back.meta, back.body) == (article.meta, article.body), "the record does not round-trip"
            path = self.writer.path_for(article).resolve()
            assert self.writer.out.resolve() in path.parents, "the record would leave the output folder"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--minutes", type=float, default=10.0, help="how long to run (default: 10)")
    budget.add_argument("--examples", type=int, help="stop after about this many pages instead")
    parser.add_argument("--seed", type=int, help="a fixed random seed: the same pages every run")
    args = parser.parse_args(argv)

    logging.disable(logging.CRITICAL)  # "not XML", "not written": expected for mutated pages
    found = [*_replica_seeds(), *_fixture_seeds()]
    spider = _spider(found)
    SEEDS.extend(s for s in found if f"{s.force.slug} {s.site.origin}" in spider.platforms)
    kinds = Counter(s.kind for s in SEEDS)
    print(f"seeds: {len(SEEDS)} pages ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})")

    with tempfile.TemporaryDirectory() as out:
        targets = Targets(spider, Path(out))
        batch = 200 if args.examples is None else min(200, args.examples)

        @settings(
            max_examples=batch,
            deadline=None,
            database=None,
            phases=(Phase.generate, Phase.shrink),
            suppress_health_check=list(HealthCheck),
        )
        @given(pages())
        def fuzz(page: tuple[int, bytes, str]) -> None:
            index, body, content_type = page
            targets.run(SEEDS[index], body, content_type)

        start = time.monotonic()
        stop_at = start + args.minutes * 60
        for n in itertools.count():
            (fuzz if args.seed is None else seed(args.seed + n)(fuzz))()
            elapsed = time.monotonic() - start
            print(f"{targets.examples} pages in {elapsed:.0f} s, no crash", flush=True)
            if args.examples is not None and targets.examples >= args.examples:
                break
            if args.examples is None and time.monotonic() >= stop_at:
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
