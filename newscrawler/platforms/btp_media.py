"""British Transport Police's hosted media centre (media.btp.police.uk, to 2020–21).

Articles at ``/r/<id>/<slug>``, dated ``09 Nov 2020 10:59``, no meta. The body often starts
with an image: its caption (or a category such as "Appeal", "Court Result") and a
"View | Download (JPG - 30 KB)" line, which are not text.
"""

from __future__ import annotations

import re

from newscrawler.platforms.cms import CMS, plain

_DOWNLOAD = re.compile(r"View \| Download \([A-Z]+ - [\d.]+ [KMG]B\)")


class BTPMedia(CMS):
    name = "btp-media"
    article_path = re.compile(r"^/r/\d+/[^/]+$")
    listing_paths = ("/",)
    date_selectors = ("[class*=date]", "time")
    date_pattern = re.compile(r"\b\d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d\b")
    body_selectors = ("[class*=story-body]", "[class*=release-body]", "[class*=content-body]")

    def leading_noise(self, blocks: list[str]) -> int:
        """Everything down to the last image-download line among the first few blocks."""
        downloads = [i for i, b in enumerate(blocks[:6]) if _DOWNLOAD.fullmatch(plain(b))]
        return downloads[-1] + 1 if downloads else 0
