"""Lancashire Constabulary's own CMS (2015–21).

Articles at ``/news/YYYY/month/<slug>/`` (also ``month-YYYY``, or no
month folder); the body starts with "Tuesday,
March 2, 2021"; ``<title>`` is "Lancashire Constabulary - Headline"; og:description held
``<p>…</p>`` and og:url was percent-encoded whole.
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class Lancashire(CMS):
    name = "lancashire"
    article_path = re.compile(r"^/news/\d{4}/(?:[a-z]+(?:-\d{4})?/)?[^/]+/?$", re.I)
    listing_paths = ("/news/",)
    date_selectors = ("[class*=date]", "time")
    date_pattern = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, [A-Z][a-z]+ \d{1,2}, \d{4}\b")
    body_selectors = ("[class*=article-body]", "[class*=news-content]")
