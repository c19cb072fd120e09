"""Single Online Home (SOH), the national police website platform (40+ forces).

Articles live at ``/news/<force>/news…/…/<slug>/`` (folders in between vary by force and year);
dates show as ``HH:MM DD/MM/YYYY``, on some templates as the first line of the body; the
``<title>`` is "Headline | Force name"; og:description may hold undecoded entities.
"""

from __future__ import annotations

import re

from newscrawler.platforms.base import Platform

# Last path segments that name a listing or a folder, not an article.
_FOLDERS = (
    r"news\d*|latest|appeals|witness-appeals|court-results|policing-news|articles|press-releases|"
    r"most-wanted|getnewsrss|\d+|\d\d-\d\d-\d{4}|january|february|march|april|may|june|july|"
    r"august|september|october|november|december"
)


class SOH(Platform):
    name = "soh"
    article_path = re.compile(rf"^/news/[a-z-]+/news\d*/(?:[^/]+/)*(?!(?:{_FOLDERS})/?$)[^/]+/?$", re.I)
    feed_paths = ("/news/{force}/news/GetNewsRss/",)
    date_selectors = (
        "article [class*=date]",
        "main [class*=date]",
        "[class*=article] [class*=date]",
        "[class*=published]",
    )
    date_pattern = re.compile(r"\b\d\d:\d\d \d\d/\d\d/\d{4}\b")
    body_selectors = (
        "[class*=article-body]",
        "[class*=article__body]",
        "[class*=news-article__content]",
        "[class*=rich-text]",
    )
    keep_headline = False

    def listing_urls(self) -> list[str]:
        """``/news/<force>/news/``, or the force's own listing (Kent: ``/news/kent/latest/``)."""
        return self._paths([self.site.params.get("listing") or "/news/{force}/news/"])

    def archive_prefix(self) -> str:
        """``/news/<force>/``: the force's own folder (several forces' SOH addresses share
        the ``/news/`` of the base rule)."""
        return "/news/{force}/".format(**{"force": self.force.slug, **self.site.params})
