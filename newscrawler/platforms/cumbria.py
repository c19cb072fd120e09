"""Cumbria Constabulary's own CMS (2015–21).

Articles at ``/News/News-Articles/YYYY/Month/<Slug>.aspx``; the body starts with "Posted on
13:29:00 on 13th November 2019"; og:title, og:site_name, no description.
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class Cumbria(CMS):
    name = "cumbria"
    article_path = re.compile(r"^/News/News-Articles/\d{4}/[a-z]+/[^/]+\.aspx$", re.I)
    listing_paths = ("/News/News-Articles/",)
    date_selectors = ("[class*=posted]", "[class*=date]", "time")
    date_pattern = re.compile(
        r"\bPosted on \d\d:\d\d(?::\d\d)? on \d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]+ \d{4}\b"
    )
    body_selectors = ("[class*=news-content]", "[class*=article-content]")
