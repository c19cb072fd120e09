"""``newscrawler check``: does our idea of each force's site still match the site?

The real markup of the forces' pages was never seen when the parsers were written, so this
fetches, per force, its first listing page and the first article found there (from the live
site, or from a mirror) and reports whether discovery found articles and which layer gave each
field: ``meta`` and ``platform`` are what the site's parser expects; ``fallback`` means its
selectors missed and the generic extraction stood in. Any force that fails makes the exit
status 1. Two pages per force, fetched one after the other with the crawler's User-Agent.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from scrapy.http import HtmlResponse

from newscrawler.commands.common import (
    UsageError,
    add_command,
    add_forces,
    add_mirror_option,
    chosen_forces,
    mirrored_forces,
)
from newscrawler.forces import Force, Site, registry
from newscrawler.mirrors import MirrorError, Mirrors
from newscrawler.platforms import UnsupportedPlatformError, platform_for
from newscrawler.platforms.base import ExtractionError, Layer, NotAnArticle, Platform
from newscrawler.settings import DOWNLOAD_TIMEOUT, USER_AGENT

FIELDS = ("title", "date", "description", "body")
#: Layers that mean the platform module's expectations held. "body" is a field the
#: normalisation found in the article text (a date line, the first paragraph).
GOOD = frozenset({Layer.META.value, Layer.STRUCTURE.value, Layer.PLATFORM.value, "body"})


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "check",
        help="check forces' sites against their parsers (one listing, one article each)",
        description=__doc__,
        examples=(
            "newscrawler check kent met",
            "newscrawler check --all",
            "newscrawler check bedfordshire "
            "--mirror https://www.bedfordshire.police.uk=https://web.archive.org/web/2021/https://www.bedfordshire.police.uk",
        ),
    )
    add_forces(p, every_by_default=False)
    add_mirror_option(
        p, "fetch ORIGIN's pages from URL (repeatable); when given, only mirrored sites are checked"
    )
    p.set_defaults(run=run)


class FetchError(Exception):
    """A page that could not be fetched."""


def fetch(url: str, mirrors: Mirrors) -> bytes:
    """The body of a force URL, fetched (through its mirror when there is one)."""
    address = mirrors.to_fetch(url)
    request = urllib.request.Request(address, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as reply:
            return bytes(reply.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise FetchError(f"{address}: {getattr(exc, 'reason', exc)}") from None


@dataclass
class Result:
    """One force's check."""

    force: str
    platform: str
    listing: str = ""
    links: int = 0
    article: str = ""
    layers: dict[str, str] = field(default_factory=dict)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.links > 0 and all(self.layers.get(f) in GOOD for f in FIELDS)


def sites_to_check(force: Force, mirrors: Mirrors) -> list[Site]:
    """The live site; with mirrors, every mirrored site instead (as ``crawl`` does)."""
    if mirrors:
        return [s for s in force.sites if mirrors.covers(s.origin)]
    return [force.live_site]


def check_site(platform: Platform, mirrors: Mirrors) -> Result:
    result = Result(platform.force.slug, platform.site.platform)
    try:
        for listing in platform.listing_urls():
            result.listing = listing
            links = platform.article_links(HtmlResponse(url=listing, body=fetch(listing, mirrors)))
            if links:
                result.links = len(links)
                result.article = links[0][0]
                break
        if not result.article:
            result.error = "no article links on the listing"
            return result
        ex = platform.extract(HtmlResponse(url=result.article, body=fetch(result.article, mirrors)))
        result.layers = {f: ex.sources[f].value for f in FIELDS if f in ex.sources}
        platform.normalise(ex)  # raises when a field is missing even from the article text
        result.layers.setdefault("date", "body")
        result.layers.setdefault("description", "body")
    except (FetchError, NotAnArticle, ExtractionError) as exc:
        result.error = str(exc)
    return result


def report(results: list[Result]) -> None:
    head = ("force", "platform", "links", *FIELDS, "result")
    rows = [head] + [
        (
            r.force,
            r.platform,
            str(r.links),
            *(r.layers.get(f, "missing") for f in FIELDS),
            "ok" if r.ok else f"FAILED {r.error}".strip(),
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head) - 1)]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1])
    for r in results:
        if r.article:
            print(f"{r.force}: article {r.article}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    try:
        mirrors = Mirrors.parse(args.mirror)
    except MirrorError as exc:
        raise UsageError(str(exc)) from None
    forces = mirrored_forces(chosen_forces(args), mirrors)
    results = []
    for force in registry() if forces is None else forces:
        for site in sites_to_check(force, mirrors):
            try:
                platform = platform_for(force, site)
            except UnsupportedPlatformError as exc:
                results.append(Result(force.slug, site.platform, error=str(exc)))
                continue
            results.append(check_site(platform, mirrors))
    report(results)
    return 0 if all(r.ok for r in results) else 1
