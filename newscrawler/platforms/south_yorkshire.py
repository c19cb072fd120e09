"""South Yorkshire Police's own CMS (www.southyorks.police.uk, to 2021).

Articles at ``/find-out/news-and-appeals/YYYY/month-YYYY/<slug>/`` (some
``/YYYY/<slug>/``); the body starts with
"Date published: 23 March 2021 10:29" and "Dated: 23 March 2021 10:29:00"; no meta;
``<title>`` is "Headline - SYP".
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class SouthYorkshire(CMS):
    name = "south-yorkshire"
    article_path = re.compile(
        r"^/find-out/news-and-appeals/\d{4}/(?:[a-z]+-\d{4}/)?(?![a-z]+-\d{4}/?$)[^/]+/?$"
    )
    listing_paths = ("/find-out/news-and-appeals/",)
    date_selectors = ("[class*=date]", "time")
    date_pattern = re.compile(r"\bDate published: \d{1,2} [A-Z][a-z]+ \d{4}\b")
    body_selectors = ("[class*=article-body]", "[class*=rich-text]")
    title_affixes = ("SYP",)
