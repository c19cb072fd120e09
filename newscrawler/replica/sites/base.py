"""What a platform module of the replica provides, and the page assembly they share.

A platform module (``sites/<platform>.py``) subclasses :class:`Platform`: where the listing
and feed live, how a record becomes an :class:`Entry` (path, headline, date as the platform
shows it), the page's meta tags and ``<title>``, and the class names its templates use. The
pages themselves (article, listing, RSS) are assembled here, around ``chrome``'s boilerplate.
"""

from __future__ import annotations

import html
import random
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import format_datetime
from typing import ClassVar
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from newscrawler.forces import Force, Site
from newscrawler.record import Article
from newscrawler.replica import chrome
from newscrawler.replica.chrome import attr, esc, pick
from newscrawler.replica.markup import markdown_to_html

#: Dates on the forces' pages are UK local time.
UK = ZoneInfo("Europe/London")
_XML_INVALID = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def xml_text(text: str) -> str:
    """Text as XML element content (characters XML 1.0 forbids dropped)."""
    return esc(text.translate(_XML_INVALID))


def path_key(url: str) -> str:
    """The decoded path (and query) a page is served and looked up at."""
    parts = urlsplit(url)
    return unquote(parts.path) + (f"?{parts.query}" if parts.query else "")


@dataclass
class Entry:
    """An article as its site serves it."""

    article: Article
    headline: str
    published: datetime | None  # for order, feeds and sitemaps; None: undated
    date_text: str | None  # the date as the platform shows it, when it shows one
    date_in_body: bool = False  # the body already begins with the date line (no own element)

    @property
    def url(self) -> str:
        return self.article.url

    @property
    def path(self) -> str:
        return path_key(self.article.url)

    @property
    def description(self) -> str:
        """The summary as text (records may hold it with entities undecoded)."""
        return html.unescape(self.article.description)

    @property
    def day(self) -> date | None:
        return self.published.date() if self.published else None


class Platform(ABC):
    """One platform's templates. Subclasses set the class attributes and the abstract methods."""

    name: ClassVar[str]
    #: The listing's heading, and the class names the templates draw from (varied per page).
    listing_title: ClassVar[str] = "News"
    body_classes: ClassVar[tuple[str, ...]]
    date_classes: ClassVar[tuple[str, ...]]

    @abstractmethod
    def listing_path(self, site: Site) -> str:
        """The first listing page's path; later pages add ``?page=N``."""

    def feed_path(self, site: Site) -> str | None:
        """The RSS feed's path, when the platform has one."""
        return None

    @abstractmethod
    def entry(self, article: Article, force: Force) -> Entry:
        """How this platform shows a record: headline and date."""

    @abstractmethod
    def head(self, entry: Entry) -> str:
        """The article page's meta tags."""

    @abstractmethod
    def page_title(self, entry: Entry) -> str:
        """The article page's ``<title>``."""

    def standfirst(self, entry: Entry) -> str:
        """Summary text shown above the body, if the template has one."""
        return ""

    # ---- pages --------------------------------------------------------------------------
    def article_page(self, site: chrome.SiteInfo, entry: Entry, related: Sequence[Entry]) -> str:
        rng = random.Random(entry.url)
        shown = ""
        if entry.date_text and not entry.date_in_body:
            cls = rng.choice(self.date_classes)
            if entry.published and rng.random() < 0.5:
                stamp = entry.published.isoformat(timespec="minutes")
                shown = f'<p class="{cls}"><time datetime="{stamp}">{esc(entry.date_text)}</time></p>'
            else:
                shown = f'<p class="{cls}">{esc(entry.date_text)}</p>'
        intro = self.standfirst(entry)
        if intro:
            intro = f'<p class="{pick(rng, "standfirst", "lead", "intro summary")}">{esc(intro)}</p>'
        body_attrs = f'class="{rng.choice(self.body_classes)}"'
        if rng.random() < 0.3:
            body_attrs += ' itemprop="articleBody"'
        main = (
            f'<article class="{pick(rng, "article", "news-article", "news-item")}">\n'
            f"<h1>{esc(entry.headline)}</h1>\n{shown}{intro}\n"
            f"<div {body_attrs}>\n{markdown_to_html(entry.article.body)}\n</div>\n"
            f"{chrome.share_links(rng, entry.url, entry.headline)}\n</article>\n"
            f"{chrome.related_news(rng, [(e.url, e.headline) for e in related])}"
        )
        crumbs = [("Home", site.origin + "/"), (self.listing_title, site.news_url), (entry.headline, None)]
        return chrome.page(
            seed=entry.url,
            site=site,
            title=self.page_title(entry),
            head=self.head(entry),
            crumbs=crumbs,
            main=main,
        )

    def listing_page(
        self, site: chrome.SiteInfo, number: int, url_for: dict[int, str], entries: Sequence[Entry]
    ) -> str:
        rng = random.Random(url_for[number])
        tag = pick(rng, "li", "article")
        items = []
        for e in entries:
            when = (
                f'<span class="{rng.choice(self.date_classes)}">{esc(e.date_text)}</span>'
                if e.date_text
                else ""
            )
            link = f'<h2><a href="{attr(e.url)}">{esc(e.headline)}</a></h2>'
            cls = pick(rng, "news-item", "listing-item", "card")
            items.append(f'<{tag} class="{cls}">{link}{when}<p>{esc(e.description)}</p></{tag}>')
        wrap = "ul" if tag == "li" else "div"
        title = self.listing_title + (f" - page {number}" if number > 1 else "")
        main = (
            f"<h1>{esc(self.listing_title)}</h1>\n"
            f'<{wrap} class="{pick(rng, "news-list", "results", "listing")}">\n'
            + "\n".join(items)
            + f"\n</{wrap}>\n{chrome.pager(rng, number, len(url_for), url_for)}"
        )
        crumbs = [("Home", site.origin + "/"), (self.listing_title, None)]
        return chrome.page(
            seed=url_for[number],
            site=site,
            title=f"{title} | {site.name}",
            head="",
            crumbs=crumbs,
            main=main,
        )

    def feed(self, site: chrome.SiteInfo, entries: Sequence[Entry]) -> str:
        """RSS 2.0 of the newest entries."""
        items = []
        for e in entries:
            when = (
                f"<pubDate>{format_datetime(e.published.replace(tzinfo=UK))}</pubDate>" if e.published else ""
            )
            items.append(
                f"<item><title>{xml_text(e.headline)}</title><link>{xml_text(e.url)}</link>"
                f'<guid isPermaLink="true">{xml_text(e.url)}</guid>{when}'
                f"<description>{xml_text(e.description)}</description></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            f"<title>{xml_text(site.name)} - {self.listing_title}</title>"
            f"<link>{xml_text(site.news_url)}</link>"
            f"<description>The latest news from {xml_text(site.name)}</description>"
            f'<language>en-gb</language><atom:link href="{attr(site.feed_url or "")}" '
            'rel="self" type="application/rss+xml"/>\n' + "\n".join(items) + "\n</channel></rss>\n"
        )
