"""The Bedfordshire, Cambridgeshire and Hertfordshire shared site (BCH), gone c. 2022.

Articles at ``/news-and-appeals/<Slug>``; the listing at ``/news-and-appeals`` with
``?page=N``; no feed is known. ``<title>`` is the bare headline, the only meta is
og:description, and the date shows as ``12 Mar 2020`` above the body.
"""

from __future__ import annotations

import html
from datetime import datetime, time

from newscrawler.dates import parse_record_date
from newscrawler.forces import Force, Site
from newscrawler.record import Article
from newscrawler.replica.chrome import attr
from newscrawler.replica.sites.base import Entry, Platform


class BCH(Platform):
    name = "bch"
    listing_title = "News and appeals"
    body_classes = ("news-body", "article-body", "rich-text", "content", "main-content__text")
    date_classes = ("date", "news-date", "article-meta", "posted")

    def listing_path(self, site: Site) -> str:
        return "/news-and-appeals"

    def entry(self, article: Article, force: Force) -> Entry:
        shown = article.get("publish.date")
        day = parse_record_date(shown) if isinstance(shown, str) else None
        published = datetime.combine(day, time()) if day else None
        return Entry(article, html.unescape(article.title), published, str(shown) if shown else None)

    def head(self, entry: Entry) -> str:
        description = entry.article.get("og.description")
        return f'<meta property="og:description" content="{attr(str(description))}">\n' if description else ""

    def page_title(self, entry: Entry) -> str:
        return entry.headline


PLATFORM = BCH()
