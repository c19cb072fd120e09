"""Northumbria Police's beta site (beta.northumbria.police.uk, 2019–21).

Articles at ``/latest-news/YYYY/month/<slug>/``; the date is a day/month badge without a year
("21" "Dec", and a time), dated by the URL's year when the month agrees; og:title (HTML
entities left encoded), no description.
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class Northumbria(CMS):
    name = "northumbria"
    article_path = re.compile(r"^/latest-news/\d{4}/[a-z]+/[^/]+/?$")
    listing_paths = ("/latest-news/",)
    date_selectors = ("[class*=date]", "time")
    body_selectors = ("[class*=article-body]", "[class*=news-content]")
