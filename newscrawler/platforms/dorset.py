"""Dorset Police's own CMS (2015–21).

Articles at ``/news-information/article/<id>``; the body starts with "# Headline" and the date
``24 October 2019``; og:title, twitter:*; ``<title>`` is "Headline |" (an empty site name).
No date pattern: headlines carry dates too ("Knife amnesty in Dorset: 11 – 17 March 2019"),
so the date line under the headline dates the page.
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class Dorset(CMS):
    name = "dorset"
    article_path = re.compile(r"^/news-information/article/\d+/?$")
    listing_paths = ("/news-information/",)
    date_selectors = ("[class*=date]", "time")
    body_selectors = ("[class*=article-body]", "[class*=news-content]")
