"""What the replica modules of the non-SOH platforms share: their records carry the raw meta
their pages had (og:*, article:*, twitter:*, the ``<title>`` as written, a raw date string), so
a page is built back from those values; each platform module only sets values.

The date is shown where the platform showed it: in its own element when the record holds it
as meta (``publish.date``, ``article.published.time``, Northumbria's day/month badge), else it
is already in the body (a top line, a footer, a "Release date:" block). The ``<h1>`` is the
headline ``newscrawler import`` reads from the same meta, without the platform's affixes.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, time
from typing import ClassVar

from newscrawler.dates import find_date, parse_date
from newscrawler.forces import Force, Site
from newscrawler.importer import headline
from newscrawler.record import Article
from newscrawler.replica.chrome import attr
from newscrawler.replica.sites.base import Entry, Platform

#: Meta groups a record may carry, and the attribute each is written with.
_META = {"og": "property", "article": "property", "fb": "property", "twitter": "name", "pressroom": "name"}
_MARKS = re.compile(r"[*_#\\]")


def _flat(meta: dict[str, object], prefix: str = "") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, value in sorted(meta.items()):
        if isinstance(value, dict):
            out += _flat(value, f"{prefix}{key}.")
        else:
            out.append((prefix + key, str(value)))
    return out


def _date_line(body: str) -> str | None:
    """The date line a body carries (at its top, under a headline, or as its footer)."""
    blocks = body.split("\n\n")
    for block in [*blocks[:3], blocks[-1]]:
        text = " ".join(_MARKS.sub(" ", block).split())
        if text and len(text) < 80 and find_date(text):
            return text
    return None


class RawMetaPlatform(Platform):
    """A platform whose pages are rebuilt from a record's raw meta; subclasses set values."""

    #: The listing's path, and the feed's (paths only: a query is the crawler's business).
    listing: ClassVar[str]
    feed_at: ClassVar[str | None] = None
    #: Affixes of the ``<title>`` around the headline (" | Humberside Police", "Lancashire
    #: Constabulary - ").
    title_suffixes: ClassVar[tuple[str, ...]] = ()
    title_prefixes: ClassVar[tuple[str, ...]] = ()
    #: og:title values that are not a headline.
    generic_titles: ClassVar[frozenset[str]] = frozenset()

    def listing_path(self, site: Site) -> str:
        return self.listing

    def feed_path(self, site: Site) -> str | None:
        return self.feed_at

    def headline(self, article: Article) -> str:
        """The <h1>: the headline ``newscrawler import`` takes from the raw meta (the page's
        <title>, or og:title where that is cut short or doubled), without the site's affixes."""
        title = html.unescape(headline(article) or "")
        if title in self.generic_titles:
            title = html.unescape(article.title)
        for suffix in self.title_suffixes:
            title = title.removesuffix(suffix)
        for prefix in self.title_prefixes:
            title = title.removeprefix(prefix)
        return title.strip()

    def entry(self, article: Article, force: Force) -> Entry:
        shown = article.get("publish.date") or article.get("article.published.time")
        if article.get("day"):
            shown = f"{article.get('day')} {article.get('month')}"
        date_text = str(shown) if shown else _date_line(article.body)
        day = parse_date(date_text, article.url) if date_text else None
        published = datetime.combine(day, time()) if day else None
        return Entry(article, self.headline(article), published, date_text, date_in_body=not shown)

    def head(self, entry: Entry) -> str:
        tags = []
        for key, value in _flat(entry.article.meta):
            group, _, name = key.partition(".")
            if group in _META and name:
                tags.append(
                    f'<meta {_META[group]}="{group}:{name.replace(".", "_")}" content="{attr(value)}">\n'
                )
        return "".join(tags)

    def page_title(self, entry: Entry) -> str:
        return html.unescape(entry.article.title) if entry.article.title else entry.headline
