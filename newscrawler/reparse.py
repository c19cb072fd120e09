"""Records made again from the pages a crawl kept (``<out>/warc/``), with today's parsers and
no network: a fixed parser reaches every page already fetched.

Each stored article page goes the way it went in the crawl: decompressed as Scrapy does,
charset repaired (``middlewares.charset_fixed``), refused when empty, truncated or an error
page (``failures.page_problem``), read as HTML at the force's own address
(``spiders.police.article_page``), parsed by its site's platform, and written with its state
row (``State.save``), the first of two addresses of one article within a crawl run winning
as in ``pipelines.DedupePipeline``. With an unchanged parser, the records come out byte for
byte as the crawl wrote them.
"""

from __future__ import annotations

import gzip
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import brotli
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from newscrawler.failures import page_problem
from newscrawler.forces import registry
from newscrawler.items import ArticleItem
from newscrawler.middlewares import charset_fixed
from newscrawler.platforms import UnsupportedPlatformError, platform_for
from newscrawler.platforms.base import ExtractionError, NotAnArticle, Platform
from newscrawler.record import Article, ArticleWriter, UrlSet, WriteResult
from newscrawler.spiders.police import article_page
from newscrawler.state import State
from newscrawler.warc import StoredResponse, read_responses, run_of

try:  # Python 3.14 has it; before, the backport Scrapy itself depends on
    from compression import zstd
except ImportError:
    from backports import zstd


class PageError(ValueError):
    """A stored page that gives no record, and why."""


def decoded(body: bytes, content_encoding: str, max_size: int) -> bytes:
    """A body as served, decoded as Scrapy decodes it (gzip, deflate, br, zstd, in the order
    applied), refused past ``max_size`` bytes as the crawl refused it (DOWNLOAD_MAXSIZE)."""
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    for coding in reversed(codings):
        try:
            body = _decode(body, coding, max_size + 1)
        except (OSError, EOFError, zlib.error, brotli.error, zstd.ZstdError) as exc:
            raise PageError(f"its {coding} body does not decompress ({exc})") from None
        if len(body) > max_size:
            raise PageError(f"its body is larger than {max_size} bytes once decompressed")
    return body


def _decode(body: bytes, coding: str, limit: int) -> bytes:
    if coding in ("gzip", "x-gzip"):
        return gzip.GzipFile(fileobj=BytesIO(body)).read(limit)
    if coding == "deflate":  # zlib-wrapped, or raw as some servers send it
        try:
            return zlib.decompressobj().decompress(body, limit)
        except zlib.error:
            return zlib.decompressobj(wbits=-15).decompress(body, limit)
    if coding == "br":
        decompressor = brotli.Decompressor()
        if hasattr(decompressor, "process"):  # Google's brotli, as Scrapy uses it
            return bytes(decompressor.process(body, output_buffer_limit=limit))
        # brotlipy, which pywb (the test extra) installs under the same name: no output limit,
        # so the size is checked after (decoded() refuses what is over it).
        return bytes(decompressor.decompress(body))
    if coding == "zstd":
        return zstd.ZstdFile(BytesIO(body)).read(limit)
    if coding == "identity":
        return body
    raise PageError(f"its content-encoding {coding!r} is unknown")


def stored_page(stored: StoredResponse, max_size: int) -> Response:
    """A stored response as the spider received it: decompressed, its charset repaired,
    refused as the crawl refused it."""
    headers = Headers()
    for name, value in stored.headers:
        headers.appendlist(name, value)
    body = decoded(stored.body, (headers.get("Content-Encoding") or b"").decode("latin-1"), max_size)
    headers.pop("Content-Encoding", None)
    cls = responsetypes.from_args(headers=headers, url=stored.url, body=body)
    response: Response = cls(url=stored.url, status=stored.status, headers=headers, body=body)
    response = charset_fixed(response) or response
    problem = page_problem(response)
    if problem is not None:
        raise PageError(problem.replace("_", " "))
    return response


@dataclass
class ReparseReport:
    """What a reparse did (or, dry, would do)."""

    counts: Counter[str] = field(default_factory=Counter)
    #: Each record written (or to be written) whose bytes changed: new or updated.
    changed: dict[Path, str] = field(default_factory=dict)
    #: (url, why) of each article page that gave no record.
    failed: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        c = self.counts
        return (
            f"{c['pages']} article pages from {c['files']} WARC files: {c['new']} new, "
            f"{c['updated']} updated, {c['unchanged']} unchanged, {c['failed']} failed, "
            f"{c['not_article']} not articles, {c['duplicate']} duplicates"
        )


class Reparser:
    """Stored pages → records under ``out``, written with their state rows, or (a dry run,
    with no state) only compared with the files there."""

    def __init__(self, out: Path, *, max_size: int) -> None:
        self.out = out
        self.max_size = max_size
        self.writer = ArticleWriter(out)
        self.report = ReparseReport()
        self.registry = registry()
        self.platforms: dict[str, Platform] = {}
        self.seen = UrlSet()
        self.run = ""
        #: Dry: the bytes each record would now have, where an earlier page wrote it.
        self.pending: dict[Path, bytes] = {}

    def _platform(self, url: str) -> Platform | None:
        found = self.registry.for_url(url)
        if found is None:
            return None
        force, site = found
        key = f"{force.slug} {site.origin}"
        if key not in self.platforms:
            self.platforms[key] = platform_for(force, site)
        return self.platforms[key]

    def reparse(self, warcs: Iterable[Path], state: State | None) -> ReparseReport:
        for warc in warcs:
            self.report.counts["files"] += 1
            if run_of(warc) != self.run:  # one crawl run's pages, deduplicated as it did
                self.run = run_of(warc)
                self.seen.clear()
            for stored in read_responses(warc):
                self.page(stored, state)
        return self.report

    def page(self, stored: StoredResponse, state: State | None) -> None:
        if not 200 <= stored.status < 300:  # the crawl parsed no other answer
            return
        try:
            platform = self._platform(stored.url)
        except UnsupportedPlatformError:
            platform = None
        if platform is None or not (
            stored.kind == "article" or (stored.kind is None and platform.is_article_url(stored.url))
        ):
            return
        counts = self.report.counts
        counts["pages"] += 1
        try:
            page = article_page(stored_page(stored, self.max_size))
            if page is None:
                raise NotAnArticle(f"{stored.url} is not text")
            article = platform.parse(page)
        except NotAnArticle:
            counts["not_article"] += 1
            return
        except (PageError, ExtractionError, ValueError) as exc:
            counts["failed"] += 1
            self.report.failed.append((stored.url, str(exc)))
            return
        fetched_at = stored.date.isoformat(timespec="seconds")
        item = ArticleItem.from_article(article, fetched_at)
        if item.url in self.seen:
            counts["duplicate"] += 1
            return
        self.seen.add(item.url)
        result, path = self._write(item.to_article(), item.force, stored, state)
        counts[result.value] += 1
        if result != WriteResult.UNCHANGED:
            self.report.changed.setdefault(path.relative_to(self.out), result.value)

    def _write(
        self, article: Article, force: str, stored: StoredResponse, state: State | None
    ) -> tuple[WriteResult, Path]:
        if state is not None:
            headers = dict((n.lower(), v) for n, v in stored.headers)
            path, result = state.save(
                self.writer,
                article,
                force=force,
                etag=headers.get("etag"),
                last_modified=headers.get("last-modified"),
                now=stored.date,
            )
            return result, path
        path = self.writer.path_for(article)
        data = article.render().encode("utf-8")
        old = self.pending.get(path)
        if old is None:
            try:
                old = path.read_bytes()
            except FileNotFoundError:
                old = None
        self.pending[path] = data
        if old == data:
            return WriteResult.UNCHANGED, path
        return (WriteResult.NEW if old is None else WriteResult.UPDATED), path
