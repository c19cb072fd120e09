"""What the non-SOH platforms share beyond ``base.Platform``: page furniture at the top of a
body, date footers in forms ``base.is_date_line`` does not take, og:titles that are not a
headline, addresses kept percent-encoded where a site writes them so, and ``/page/<N>/``
pagination.

Each platform module subclasses :class:`CMS` and sets values; the behaviour lives here once.
(These are candidates for hooks in ``base.Platform``; kept apart so base stays untouched.)
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from w3lib.url import safe_url_string

from newscrawler.dates import parse_date
from newscrawler.platforms.base import Extraction, Head, Layer, Platform, clean_text, is_date_line

_BLOCKS = re.compile(r"\n\n+")
_MARKS = re.compile(r"[*_#>\\]+")
_PAGE = re.compile(r"/page/(\d+)/?$")


def plain(block: str) -> str:
    """A Markdown block as text: emphasis, heading and escape marks out, spaces collapsed."""
    return clean_text(_MARKS.sub(" ", block))


class CMS(Platform):
    """A platform configured by values; see the module docstring for what each one does."""

    #: Leading body blocks (as plain text, whole block) that are page furniture, not text:
    #: district bullets, "Last modified:" lines, image download links, SharePoint labels.
    top_noise: ClassVar[re.Pattern[str] | None] = None
    #: A last body block that carries the date ("Published at 2.30pm on Monday 1 March 2021.").
    date_footer: ClassVar[re.Pattern[str] | None] = None
    #: og:title values that name the page type, not the article ("News article").
    generic_titles: ClassVar[frozenset[str]] = frozenset()
    #: Whether the site writes non-ASCII letters in its addresses percent-encoded.
    percent_encoded: ClassVar[bool] = False
    #: The headline is the title field; where a body container holds the <h1> too, it goes.
    keep_headline = False

    def leading_noise(self, blocks: list[str]) -> int:
        """How many blocks at the top of a body are furniture."""
        n = 0
        while n < len(blocks) and self.top_noise is not None and self.top_noise.fullmatch(plain(blocks[n])):
            n += 1
        return n

    def strip_date_blocks(self, body: str, url: str, title: str = "") -> tuple[str, date | None]:
        """Base's date rules, then furniture at the top and a date footer at the end."""
        body, found = super().strip_date_blocks(body, url, title)
        blocks = _BLOCKS.split(body) if body else []
        del blocks[: self.leading_noise(blocks)]
        # An image's caption (a bold line first) may follow the footer: it stays, the date goes.
        caption = blocks.pop() if len(blocks) > 2 and blocks[-1].startswith("**") else None
        if self.date_footer is not None and len(blocks) > 1 and self.date_footer.fullmatch(plain(blocks[-1])):
            footer = parse_date(plain(blocks.pop()), url)
            # "**7 May 2015**" standing above a "Posted on … in …" footer goes with it.
            above = (
                parse_date(plain(blocks.pop()), url)
                if len(blocks) > 1 and is_date_line(blocks[-1], url)
                else None
            )
            found = found or footer or above
        return "\n\n".join([*blocks, *([caption] if caption is not None else [])]), found

    def canonical_link(self, url: str) -> str:
        """Base's address, with non-ASCII letters percent-encoded again on sites whose own
        links carry them so (Suffolk's ``%E2%80%93``, Humberside's ``%C2%A3``)."""
        url = super().canonical_link(url)
        return safe_url_string(url) if self.percent_encoded else url

    def _title(self, sel: Selector, head: Head, ex: Extraction) -> list[str]:
        """Base's title, but the <h1> where the <title> without its affixes confirms it (base
        confirms only a <title> that starts with the <h1>, so "Lancashire Constabulary -
        Headline" lost to an og:title edited since), and never an og:title that only names
        the page type ("News article")."""
        headlines = super()._title(sel, head, ex)
        headline = headlines[0] if headlines else None
        page = clean_text(head.title)
        if ex.title in self.generic_titles:
            ex.title = headline or page or None
            ex.sources["title"] = Layer.PLATFORM if headline else Layer.FALLBACK
        elif headline and page and headline != ex.title and self.clean_title(page) == headline:
            ex.title, ex.sources["title"] = headline, Layer.META
        return headlines

    def next_pages(self, response: Any) -> list[str]:
        """Base's pagination, plus the next ``/page/<N>/`` of the same listing."""
        pages = super().next_pages(response)
        here = urlsplit(response.url).path
        m = _PAGE.search(here)
        current, stem = (int(m.group(1)), here[: m.start()]) if m else (1, here.rstrip("/"))
        for href in response.css("a[href]::attr(href)").getall():
            url = urljoin(response.url, href)
            path = urlsplit(url).path
            n = _PAGE.search(path)
            if n and path[: n.start()] == stem and int(n.group(1)) == current + 1 and url not in pages:
                pages.append(url)
        return pages
