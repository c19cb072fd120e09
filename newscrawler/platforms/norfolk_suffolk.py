"""The shared Norfolk and Suffolk constabularies' site (2020–21).

Articles at ``/news/latest-news/<slug>`` (Suffolk also ``/news/latest-news/dd-mm-yyyy/<slug>``),
non-ASCII letters percent-encoded; dated by ``article:published_time`` (ISO), with
article:modified_time and og:*; ``<title>`` is "Headline | Suffolk Constabulary" on Suffolk's
pages.
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class NorfolkSuffolk(CMS):
    name = "norfolk-suffolk"
    percent_encoded = True
    article_path = re.compile(r"^/news/latest-news/(?:\d\d-\d\d-\d{4}/)?(?!\d\d-\d\d-\d{4}/?$)[^/]+/?$")
    listing_paths = ("/news/latest-news",)
    date_selectors = ("[class*=date]", "time")
    body_selectors = ("[class*=news-article__body]", "[class*=article-body]", "[class*=rich-text]")
