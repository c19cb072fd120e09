"""The Police Service of Northern Ireland's own site (www.psni.police.uk).

Old articles at ``/news/Latest-News/<ddmmyy>-<slug>/``; the newsroom is now at ``/news``. The
date shows as ``30 November 2017``; the body begins with the district(s) as a bullet list
(``* Mid & East Antrim``), which is a label, not text. No meta beyond ``<title>``.
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS

#: Northern Ireland's eleven policing districts, as the bullets name them.
DISTRICTS = (
    "Antrim & Newtownabbey",
    "Ards & North Down",
    "Armagh City, Banbridge & Craigavon",
    "Belfast",
    "Causeway Coast & Glens",
    "Derry City & Strabane",
    "Fermanagh & Omagh",
    "Lisburn & Castlereagh",
    "Mid & East Antrim",
    "Mid Ulster",
    "Newry, Mourne & Down",
)
_DISTRICT = "|".join(map(re.escape, DISTRICTS))


class PSNI(CMS):
    name = "psni"
    article_path = re.compile(r"^/news/(?:Latest-News/\d{6}-[^/]+|(?!latest-news/?$)[^/]+)/?$", re.I)
    listing_paths = ("/news/Latest-News/", "/news")
    date_selectors = ("[class*=date]", "time")
    date_pattern = re.compile(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b")
    body_selectors = ("[class*=news-content]", "[class*=article-body]", "[class*=field--name-body]")
    title_affixes = ("PSNI",)
    top_noise = re.compile(rf"(?:(?:{_DISTRICT})\s*)+")
