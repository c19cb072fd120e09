"""Item pipelines: one record per canonical url per run, then written atomically.

Order (settings.ITEM_PIPELINES): dedupe → write. Records reach here already normalised and
complete (the platform's ``normalise`` reports incomplete ones instead of yielding them).
"""

from __future__ import annotations

import sys

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawler.items import ArticleItem
from newscrawler.record import ArticleWriter, WriteResult


class DedupePipeline:
    """The same article under two addresses (a moved SOH folder, tracking parameters) is
    one record: the first seen canonical url wins."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.seen: set[str] = set()

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


class WriteRecordsPipeline:
    """Writes each record under NEWSCRAWLER_OUT (``-``: prints it to stdout) and counts
    new / updated / unchanged."""

    def __init__(self, crawler: Crawler, out: str) -> None:
        self.crawler = crawler
        self.writer = ArticleWriter(out) if out != "-" else None
        if self.writer is not None:
            ArticleWriter.clean_partials(out)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WriteRecordsPipeline:
        return cls(crawler, crawler.settings.get("NEWSCRAWLER_OUT"))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        article = item.to_article()
        if self.writer is None:
            sys.stdout.write(article.render())
            sys.stdout.flush()
            result = WriteResult.NEW
        else:
            _, result = self.writer.write(article)
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"newscrawler/{item.force}/{result.value}")
        return item
