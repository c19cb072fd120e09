"""The back-fill spider: a force's earlier sites read back from a web archive.

For each site whose years meet the years asked, the archive's index (CDX) lists the captures
of its article addresses; each address is fetched once, raw (``id_``), from its oldest
capture in the site's years, parsed by that site's platform, and written under its own
address by the crawl's pipelines (records, state, run report). What the state already has,
or read lately without a record, is not fetched again, so a second run fetches only the
index, and a killed run is resumed by running it again.

``scrapy crawl archive -a forces=bedfordshire -a archive=https://web.archive.org/web
-a year_from=2015 -a year_to=2021``
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response

from newscrawler import settings as project_settings
from newscrawler.archive import Archive, Capture, parse_index, sites_for_years
from newscrawler.items import ArticleItem
from newscrawler.platforms.base import Platform
from newscrawler.spiders.police import PoliceSpider

log = logging.getLogger("newscrawler")

#: An index of every capture of a large site can pass DOWNLOAD_MAXSIZE (meant for pages),
#: and take an archive longer than DOWNLOAD_TIMEOUT to list.
INDEX_MAXSIZE = 256 * 1024 * 1024
INDEX_TIMEOUT = 300


def _year(value: str | int | None) -> int | None:
    return int(value) if value not in (None, "") else None


class ArchiveSpider(PoliceSpider):
    name = "archive"
    #: One request at a time, 2 s apart, no robots.txt (newscrawler.settings.ARCHIVE).
    custom_settings = project_settings.ARCHIVE

    def __init__(
        self,
        forces: str = "",
        archive: str = "",
        cdx: str | None = None,
        year_from: str | int | None = None,
        year_to: str | int | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(forces, *args, **kwargs)
        if not archive:
            raise ValueError("no archive to read: give archive=URL (https://web.archive.org/web)")
        self.archive = Archive.parse(archive, cdx)
        self.year_from, self.year_to = _year(year_from), _year(year_to)
        #: Per site (the spider's platform key): the years its captures are taken from.
        self.years: dict[str, tuple[int, int]] = {}

    @property
    def origins(self) -> set[str]:
        """A back-fill reads the archive only (its replay and index addresses): the guard lets
        no request go to a force's live site or anywhere else."""
        return {self.archive.replay, self.archive.index}

    def _choose_sites(self) -> None:
        """Each force's sites whose years meet the years asked, earlier or live."""
        this_year = date.today().year
        for force in self.forces:
            for site, first, last in sites_for_years(force, self.year_from, self.year_to, this_year):
                platform = self._add_site(force, site)
                if platform is not None:
                    self.years[self._key(platform)] = (first, last)
        if not self.platforms:
            log.error("nothing to back-fill: no supported site of the forces given in the years asked")

    async def start(self) -> AsyncIterator[Request]:
        self._choose_sites()
        for key, platform in self.platforms.items():
            first, last = self.years[key]
            url = self.archive.index_url(platform.site.host, platform.archive_prefix(), first, last)
            yield self._request(
                url,
                platform,
                self.parse_index,
                empty_ok=True,
                download_maxsize=INDEX_MAXSIZE,
                download_timeout=INDEX_TIMEOUT,
            )

    def parse_index(self, response: Response) -> Iterable[Request]:
        """The archive's captures of one site: each article address not yet in the state,
        fetched from its oldest capture in the site's years."""
        platform = self._platform(response)
        slug = platform.force.slug
        self._count(platform, "pages")
        try:
            captures = parse_index(response.body)
        except ValueError as exc:
            self._count(platform, "failed")
            self.first_error.setdefault(slug, f"{response.url}: not a CDX answer ({exc})")
            log.warning("%s: %s is not a CDX answer (%s)", slug, response.url, exc)
            return
        first, last = self.years[response.meta["platform"]]
        found = known = 0
        for capture in captures:
            url = self._article_address(platform, capture)
            if url is None or not first <= capture.year <= last or url in self.seen:
                continue
            self.seen.add(url)
            found += 1
            if not self.incremental.wants(url, slug):
                known += 1
                continue
            yield self._request(url, platform, self.parse_article, fetch=self.archive.snapshot_url(capture))
        log.info(
            "%s: %d articles of %s in the archive (%d-%d), %d already in the state",
            slug,
            found,
            platform.origin,
            first,
            last,
            known,
        )
        if not found:
            log.warning(
                "%s: the archive lists no article of %s in %d-%d (%s)",
                slug,
                platform.origin,
                first,
                last,
                response.url,
            )

    @staticmethod
    def _article_address(platform: Platform, capture: Capture) -> str | None:
        """The captured address as the site's own article address (its scheme and host, as
        the records have them: captures carry ``http://`` and ``:80`` as they were fetched),
        or None when it is no article of this site."""
        try:
            parts = urlsplit(capture.original)
            if (parts.hostname or "").lower() != urlsplit(platform.origin).hostname:
                return None
            url = platform.canonical_link(
                platform.origin + parts.path + (f"?{parts.query}" if parts.query else "")
            )
        except ValueError:  # an address urllib cannot read
            return None
        return url if platform.is_article_url(url) else None

    def parse_article(self, response: Response) -> Iterable[ArticleItem]:
        """A snapshot's record. A page naming itself with the other scheme (og:url
        ``http://`` on a site since moved to https, as captures from its early years do) is
        recorded under the site's, as the index gave it: one article, one address, which the
        state then knows."""
        site = urlsplit(self._platform(response).origin)
        for item in super().parse_article(response):
            parts = urlsplit(item.url)
            if parts.scheme != site.scheme and parts.netloc.lower() == site.netloc.lower():
                moved = replace(item, url=parts._replace(scheme=site.scheme).geturl())
                item = ArticleItem.from_article(moved.to_article(), item.fetched_at)
            yield item

    def _origin_response(self, response: Response) -> Response:
        """A snapshot as if fetched from the force's own site."""
        return response.replace(url=response.meta["origin_url"])
