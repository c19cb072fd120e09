"""Lincolnshire Police's own CMS (to 2021).

Articles at ``/news-campaigns/news/YYYY/<slug>/``; no meta; the date is a footer at the end of
the body with a two-digit year (``22 Dec 20 8:47 AM``).
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class Lincolnshire(CMS):
    name = "lincolnshire"
    article_path = re.compile(r"^/news-campaigns/news/\d{4}/[^/]+/?$")
    listing_paths = ("/news-campaigns/news/",)
    date_selectors = ("[class*=date]", "time")
    date_pattern = re.compile(r"\b\d\d [A-Z][a-z]{2} \d\d \d{1,2}:\d\d [AP]M\b")
    body_selectors = ("[class*=article-body]", "[class*=news-content]")
    date_footer = date_pattern
