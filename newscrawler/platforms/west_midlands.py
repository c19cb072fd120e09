"""West Midlands Police's own CMS (www.west-midlands.police.uk, to 2021).

Articles at ``/news/<slug>``, dated ``23rd December 2020``; og:* with og:title "Headline |
News | West Midlands Police".
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class WestMidlands(CMS):
    name = "west-midlands"
    article_path = re.compile(r"^/news/(?!page/?$)[^/]+/?$")
    listing_paths = ("/news",)
    date_selectors = ("[class*=date]", "time")
    date_pattern = re.compile(r"\b\d{1,2}(?:st|nd|rd|th) [A-Z][a-z]+ \d{4}\b")
    body_selectors = ("[class*=field--name-body]", "[class*=article-body]")
    title_affixes = ("News | West Midlands Police",)
