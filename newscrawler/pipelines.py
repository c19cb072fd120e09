"""Item pipelines: one record per canonical url per run, then written (``runs.StatePipeline``:
file + state, atomically) or printed.

Order (settings.ITEM_PIPELINES): dedupe → state+write | print. Records reach here already
normalised and complete (the platform's ``normalise`` reports incomplete ones instead).
"""

from __future__ import annotations

import sys

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from newscrawler.items import ArticleItem
from newscrawler.record import UrlSet


class DedupePipeline:
    """The same article under two addresses (a moved SOH folder, tracking parameters) is
    one record: the first seen canonical url wins."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.seen = UrlSet()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if item.url in self.seen:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value(f"newscrawler/{item.force}/duplicate")
            raise DropItem(f"duplicate of {item.url}")
        self.seen.add(item.url)
        return item


class PrintRecordsPipeline:
    """With NEWSCRAWLER_OUT ``-`` (one-off scrapes), records are printed in the file format
    on stdout instead of written (writing is ``runs.StatePipeline``)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrintRecordsPipeline:
        if crawler.settings.get("NEWSCRAWLER_OUT") != "-":
            raise NotConfigured("records are written to files")
        return cls(crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        sys.stdout.write(item.to_article().render())
        sys.stdout.flush()
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"newscrawler/{item.force}/new")
        return item
