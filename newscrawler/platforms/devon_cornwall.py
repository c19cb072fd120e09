"""Devon & Cornwall Police's own CMS (2015–21).

Articles at ``/News/NewsArticle.aspx?id=<GUID>``. og:title is "News article" and og:url the
generic ``/news/newsarticle/`` on every page, so neither names the article. The date is only in
a "Release date: 29/Dec/2020 11:57" block near the end, which is text and stays in the body.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from newscrawler.platforms.cms import CMS

_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


class DevonCornwall(CMS):
    name = "devon-cornwall"
    article_path = re.compile(r"^/News/NewsArticle\.aspx$", re.I)
    listing_paths = ("/News/",)
    date_selectors = ("[class*=release-date]",)
    date_pattern = re.compile(r"\bRelease date: \d{1,2}/[A-Z][a-z]{2}/\d{4}\b")
    dated_in_text = True
    body_selectors = ("[class*=news-content]", "[class*=article-body]")
    generic_titles = frozenset({"News article"})

    def is_article_url(self, url: str) -> bool:
        """The article page with an ``id=<GUID>``; the same page without one is not an article."""
        ids = parse_qs(urlsplit(url).query).get("id", [])
        return super().is_article_url(url) and any(_GUID.fullmatch(i) for i in ids)
