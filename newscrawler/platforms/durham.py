"""Durham Constabulary's SharePoint site (to 2021).

Articles at ``/news-and-events/Pages/<Slug>.aspx``; the body starts with "# Headline", the date
as a heading (``## 26/03/2019``) and SharePoint's "Page Image" / "Page Content" labels. No meta.
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class Durham(CMS):
    name = "durham"
    article_path = re.compile(r"^/news-and-events/Pages/(?!default\.aspx$)[^/]+\.aspx$", re.I)
    listing_paths = ("/news-and-events/Pages/default.aspx",)
    date_selectors = ("[class*=date]", "time")
    date_pattern = re.compile(r"\b\d\d/\d\d/\d{4}\b")
    body_selectors = ("[class*=ms-rtestate-field]", "[class*=article-content]")
    top_noise = re.compile(r"(?:Page Image|Page Content)?")
