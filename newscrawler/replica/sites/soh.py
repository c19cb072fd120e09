"""Single Online Home (SOH), the national platform most forces publish on.

Articles at the record's own path (``/news/<force>/news/…/<slug>/``); the listing at
``/news/<force>/news/`` (Kent: ``/news/kent/latest/``) with ``?page=N``; RSS at
``/news/<force>/news/GetNewsRss/``. ``<title>`` is "Headline | Force name"; the og:* meta are
the record's raw values (entities such as ``&#163;`` left undecoded, as on the real site); the
date shows as ``HH:MM DD/MM/YYYY`` above the body, unless the body begins with it (the Cheshire
and Essex template of 2020).
"""

from __future__ import annotations

import html
import re
from datetime import datetime, time

from newscrawler.dates import parse_date
from newscrawler.forces import Force, Site
from newscrawler.record import Article
from newscrawler.replica.chrome import attr
from newscrawler.replica.sites.base import Entry, Platform

_DATE = re.compile(r"(\d\d):(\d\d) (\d\d)/(\d\d)/(\d{4})")
_OG = ("title", "description", "url", "image", "locale", "type")
_MARKS = re.compile(r"[*_\\#]")


def _when(text: str | None) -> datetime | None:
    """The date and time an SOH date string shows."""
    if not text:
        return None
    m = _DATE.search(text)
    if m:
        hour, minute, day, month, year = map(int, m.groups())
        try:
            return datetime(year, month, day, hour, minute)
        except ValueError:
            return None
    day_only = parse_date(text)
    return datetime.combine(day_only, time()) if day_only else None


def _plain(markdown: str) -> str:
    return " ".join(_MARKS.sub("", markdown).split())


class SOH(Platform):
    name = "soh"
    body_classes = (
        "article-body",
        "article__body rich-text",
        "news-article__content",
        "rich-text",
        "content-body",
        "wysiwyg",
    )
    date_classes = ("date", "article-date", "published-date", "news-date", "meta", "timestamp")

    def listing_path(self, site: Site) -> str:
        return str(site.params.get("listing") or f"/news/{site.params['force']}/news/")

    def feed_path(self, site: Site) -> str | None:
        return f"/news/{site.params['force']}/news/GetNewsRss/"

    def entry(self, article: Article, force: Force) -> Entry:
        shown = article.get("publish.date")
        first_line = article.body.split("\n", 1)[0]
        in_body = not shown and _DATE.fullmatch(first_line) is not None
        date_text = str(shown) if shown else (first_line if in_body else None)
        # The <h1> is the headline <title> carries before " | Force"; og:title is sometimes a
        # shorter social title ("Aldham murder investigation" for "Aldham murder: Details …").
        og_title = article.get("og.title")
        page_title = article.title.rsplit(" | ", 1)[0] if " | " in article.title else ""
        headline = html.unescape(page_title or str(og_title or article.title))
        return Entry(article, headline, _when(date_text), date_text, date_in_body=in_body)

    def head(self, entry: Entry) -> str:
        values = ((key, entry.article.get(f"og.{key}")) for key in _OG)
        return "".join(
            f'<meta property="og:{key}" content="{attr(str(value))}">\n'
            for key, value in values
            if value is not None
        )

    def page_title(self, entry: Entry) -> str:
        return html.unescape(entry.article.title)

    def standfirst(self, entry: Entry) -> str:
        """The summary, when the article text does not already begin with it."""
        summary = " ".join(entry.description.split())
        # Without the date line that heads some bodies (a body may be nothing else).
        body = entry.article.body.split("\n\n", 1)[-1] if entry.date_in_body else entry.article.body
        return "" if _plain(body[: len(summary) * 2]).startswith(_plain(summary)) else summary


PLATFORM = SOH()
