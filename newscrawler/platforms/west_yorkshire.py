"""West Yorkshire Police's own CMS (to 2021).

Articles at ``/news-appeals/<slug>``; the body starts with "Wednesday 20 January, 2021" or
"Saturday, March 6, 2021" (often bold); no meta; ``<title>`` is
"Headline | West Yorkshire Police".
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class WestYorkshire(CMS):
    name = "west-yorkshire"
    article_path = re.compile(r"^/news-appeals/[^/]+/?$")
    listing_paths = ("/news-appeals",)
    date_selectors = ("[class*=date]", "time")
    date_pattern = re.compile(
        r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? "
        r"(?:\d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]+|[A-Z][a-z]+ \d{1,2}(?:st|nd|rd|th)?),? \d{4}\b"
    )
    body_selectors = ("[class*=field--name-body]", "[class*=article-body]")
