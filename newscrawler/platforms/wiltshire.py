"""Wiltshire Police's own CMS (to 2021).

Articles at ``/article/<id>/<Slug>``; no meta; ``<title>`` is "Headline - Wiltshire Police".
Where a page shows its date it is a footer in one of several hand-typed forms ("Published at
2.30pm on Monday 1 March 2021.", "Published on Wednesday, December 16, 2020", "Published
16/12/2020"); many pages show none.
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class Wiltshire(CMS):
    name = "wiltshire"
    article_path = re.compile(r"^/article/\d+/[^/]+$")
    listing_paths = ("/news",)
    date_selectors = ("[class*=date]", "time")
    date_pattern = re.compile(r"\b(?:Published|Posted):? (?:at [\d.:]+ ?[ap]m )?(?:on )?[^.]{4,40}?\d{4}\b")
    body_selectors = ("[class*=article-body]", "[class*=news-content]")
    date_footer = re.compile(r"(?:Published|Posted|Updated)\b.{4,60}?\d{4}\b.{0,80}")
