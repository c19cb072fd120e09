"""Nottinghamshire Police's own CMS (to 2021).

Articles at ``/news-article/<slug>`` (non-ASCII letters percent-encoded); the body starts with
"January 11, 2021" and a "Share by email" link; og:*; ``<title>`` is
"Headline | Nottinghamshire Police".
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class Nottinghamshire(CMS):
    name = "nottinghamshire"
    percent_encoded = True
    article_path = re.compile(r"^/news-article/[^/]+/?$")
    listing_paths = ("/news",)
    date_selectors = ("[class*=date]", "time")
    date_pattern = re.compile(r"\b[A-Z][a-z]+ \d{1,2}, \d{4}\b")
    body_selectors = ("[class*=field--name-body]", "[class*=article-body]")
    top_noise = re.compile(r"Share by email")
