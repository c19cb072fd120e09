"""The item the spider yields: flat fields with the same names as the dataset exports, so
Scrapy feed exports (``-o items.jsonl``) and ``newscrawler export`` agree."""

from __future__ import annotations

from dataclasses import dataclass

from newscrawler.record import Article


@dataclass
class ArticleItem:
    force: str
    area: str
    date: str  # ISO publication date
    url: str
    title: str
    description: str
    body: str
    word_count: int
    content_hash: str
    fetched_at: str
    time: str | None = None  # HH:MM where the page shows one (not in the record file)

    @classmethod
    def from_article(cls, article: Article, fetched_at: str) -> ArticleItem:
        published = article.published
        return cls(
            force=article.force or "",
            area=article.area,
            date=published.isoformat() if published else "",
            url=article.url,
            title=article.title,
            description=article.description,
            body=article.body,
            word_count=len(article.body.split()),
            content_hash=article.content_hash,
            fetched_at=fetched_at,
            time=article.time,
        )

    def to_article(self) -> Article:
        from datetime import date

        return Article.build(
            area=self.area,
            title=self.title,
            url=self.url,
            description=self.description,
            published=date.fromisoformat(self.date),
            body=self.body,
            force=self.force,
            fetched_at=self.fetched_at,
            time=self.time,
        )
