"""Police Scotland's own site (www.scotland.police.uk; http:// in 2020).

Articles at ``/what-s-happening/news/<YYYY>/<month>/<slug>/``; the date is a bold "Published
4 March 2020" line at the top of the body, on some pages without the year (then the year of
the URL's folders, when the month agrees). No meta beyond ``<title>``.
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class Scotland(CMS):
    name = "scotland"
    article_path = re.compile(r"^/what-s-happening/news/\d{4}/[a-z]+/[^/]+/?$", re.I)
    listing_paths = ("/what-s-happening/news/",)
    date_selectors = ("[class*=published]", "[class*=date]", "time")
    # The year, or none at all: never the start of a longer number ("2 July 20200", a typo).
    date_pattern = re.compile(
        r"\bPublished:? (?:on )?\d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]+\b(?: \d{4}\b|(?! ?\d))"
    )
    body_selectors = ("[class*=news-content]", "[class*=article-body]", "[class*=rich-text]")
