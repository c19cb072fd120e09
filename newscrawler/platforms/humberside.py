"""Humberside Police's own CMS (2015–21).

Articles at ``/news/<slug>`` (non-ASCII letters percent-encoded), dated ``10 Mar 2020``; no meta;
``<title>`` is "Headline | Humberside Police". Some bodies start with a "Downloads" heading
over attachment links ("name.jpgDownload").
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class Humberside(CMS):
    name = "humberside"
    percent_encoded = True
    article_path = re.compile(r"^/news/(?!page/?$)[^/]+/?$")
    listing_paths = ("/news",)
    date_selectors = ("[class*=date]", "time")
    date_pattern = re.compile(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b")
    body_selectors = ("[class*=field--name-body]", "[class*=news-body]", "[class*=article-body]")
    top_noise = re.compile(r"Downloads|(?:\S.*?\.(?:jpe?g|png|gif|pdf|docx?|mp4)\s*Download\s*)+", re.I)
