"""GOV.UK organisation news (Civil Nuclear Constabulary; Ministry of Defence Police, unverified).

Articles at ``/government/news/<slug>``, dated ``15 May 2015`` ("Published 15 May 2015" in the
page's metadata); og:* with og:site_name "GOV.UK"; ``<title>`` is "Headline - GOV.UK". The
body starts with a "From: <organisations>" block and, on updated pages, "Last updated … — see
all updates". The listing and feed are GOV.UK's finder for the organisation
(``params.organisation``): their address is GOV.UK's public pattern, not seen on a live page.
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS


class GovUK(CMS):
    name = "govuk"
    article_path = re.compile(r"^/government/news/[^/]+/?$")
    feed_paths = ("/search/news-and-communications.atom?organisations[]={organisation}",)
    listing_paths = ("/search/news-and-communications?organisations[]={organisation}",)
    date_metas = ("name=govuk:first-published-at",)
    date_selectors = (
        "[class*=metadata] dd",
        "[class*=published]",
    )
    date_pattern = re.compile(r"\bPublished:? \d{1,2} [A-Z][a-z]+ \d{4}\b")
    body_selectors = ("[class~=govspeak]", "[class*=govspeak]")
    title_affixes = ("GOV.UK",)
    top_noise = re.compile(r"From: .+|Last updated .+ see all updates|Published \d{1,2} [A-Z][a-z]+ \d{4}")
