"""Sites built from records: which page a path is, rendered on demand and cached.

Records are grouped by the site their URL belongs to (the force registry decides, as for the
crawler); one :class:`Host` per host name answers for the sites on it (Cambridgeshire's host
served BCH and later SOH), with the robots.txt and sitemap a host has once.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs, unquote, urlsplit

from newscrawler.forces import Force, Registry, Site
from newscrawler.record import Article
from newscrawler.replica import chrome
from newscrawler.replica.sites import platform as platform_module
from newscrawler.replica.sites.base import Entry, Platform, xml_text
from newscrawler.replica.variants import render_variant

FEED_ITEMS = 50
RELATED = 3
HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    """One HTTP response."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


#: A fault hook: given the request path (with its host prefix), a reply to send instead of the
#: page, or None for the page.
Fault = Callable[[str], Reply | None]


def _oldest_last(entry: Entry) -> tuple[bool, datetime, str]:
    return (entry.published is not None, entry.published or datetime.min, entry.url)


class ReplicaSite:
    """One force's site on one platform: its articles, listing, feed."""

    def __init__(
        self, force: Force, site: Site, platform: Platform, per_page: int, variant: int | None = None
    ) -> None:
        self.force, self.site, self.platform, self.per_page = force, site, platform, per_page
        self.variant = variant
        self.origin = site.origin.rstrip("/")
        self.listing_path = platform.listing_path(site)
        self.feed_path = platform.feed_path(site)
        self.info = chrome.SiteInfo(
            name=force.name,
            area=force.area,
            slug=force.slug,
            origin=self.origin,
            news_url=self.origin + self.listing_path,
            feed_url=self.origin + self.feed_path if self.feed_path else None,
        )
        self.entries: dict[str, Entry] = {}
        self._order: tuple[list[Entry], dict[str, int]] | None = None
        self._lock = threading.Lock()

    def upsert(self, article: Article) -> bool:
        """Add or replace an article (by its path); True when it is new."""
        entry = self.platform.entry(article, self.force)
        with self._lock:
            new = entry.path not in self.entries
            self.entries[entry.path] = entry
            self._order = None
        return new

    def ordered(self) -> tuple[list[Entry], dict[str, int]]:
        """Articles newest first (undated ones last), and each one's place by path."""
        with self._lock:
            if self._order is None:
                order = sorted(self.entries.values(), key=_oldest_last, reverse=True)
                self._order = order, {e.path: i for i, e in enumerate(order)}
            return self._order

    def newest(self) -> list[Entry]:
        return self.ordered()[0]

    def page_url(self, number: int) -> str:
        return self.info.news_url + (f"?page={number}" if number > 1 else "")

    def render(self, path: str, query: str) -> str | None:
        """The page at a decoded path and raw query, or None when the site has none there."""
        order, index = self.ordered()
        found = index.get(f"{path}?{query}" if query else path, index.get(path))
        if found is not None:
            return self._article(order, found)
        if path == self.listing_path:
            return self._listing(query)
        if path == self.feed_path:
            return self.platform.feed(self.info, self.newest()[:FEED_ITEMS])
        return None

    def _article(self, order: list[Entry], i: int) -> str:
        around = order[max(0, i - RELATED) : i] + order[i + 1 : i + 1 + RELATED]
        if self.variant is not None:
            entry = order[i]
            return render_variant(
                entry.article, self.force, self.site, self.variant, around[:RELATED], self.info
            )
        return self.platform.article_page(self.info, order[i], around[:RELATED])

    def _listing(self, query: str) -> str | None:
        order = self.newest()
        count = max(1, -(-len(order) // self.per_page))
        raw = parse_qs(query).get("page", ["1"])[-1]
        number = int(raw) if raw.isdigit() else 0
        if not 1 <= number <= count:
            return None
        url_for = {n: self.page_url(n) for n in range(1, count + 1)}
        start = (number - 1) * self.per_page
        items = order[start : start + self.per_page]
        return self.platform.listing_page(self.info, number, url_for, items)


class Host:
    """Every site on one host name, with its robots.txt, sitemap and a cache of pages."""

    def __init__(self, name: str, cache_size: int) -> None:
        self.name = name
        self.sites: list[ReplicaSite] = []
        self._cache: OrderedDict[str, Reply] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._generation = 0

    @property
    def origin(self) -> str:
        return self.sites[0].origin

    def upsert(self, site: ReplicaSite, article: Article) -> bool:
        with self._lock:
            new = site.upsert(article)
            self._cache.clear()
            self._generation += 1
        return new

    def get(self, target: str) -> Reply:
        """The reply for a path with query (no host prefix), from the cache when rendered."""
        with self._lock:
            reply = self._cache.get(target)
            if reply is not None:
                self._cache.move_to_end(target)
                return reply
            generation = self._generation
        reply = self._render(target)
        with self._lock:
            if generation == self._generation:
                self._cache[target] = reply
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return reply

    def _render(self, target: str) -> Reply:
        parts = urlsplit(target)
        path = unquote(parts.path)
        if path == "/robots.txt":
            text = f"User-agent: *\nAllow: /\n\nSitemap: {self.origin}/sitemap.xml\n"
            return Reply(200, "text/plain; charset=utf-8", text.encode())
        if path == "/sitemap.xml":
            return Reply(200, "application/xml; charset=utf-8", self._sitemap().encode())
        for site in self.sites:
            page = site.render(path, parts.query)
            if page is not None:
                kind = "application/rss+xml; charset=utf-8" if path == site.feed_path else HTML
                return Reply(200, kind, page.encode())
        return Reply(404, HTML, chrome.not_found(self.sites[0].info, path).encode())

    def _sitemap(self) -> str:
        urls = []
        for site in self.sites:
            for e in site.newest():
                lastmod = f"<lastmod>{e.day.isoformat()}</lastmod>" if e.day else ""
                urls.append(f"<url><loc>{xml_text(e.url)}</loc>{lastmod}</url>")
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "\n".join(urls)
            + "\n</urlset>\n"
        )


@dataclass
class Replica:
    """All hosts built from records, and what could not be served."""

    registry: Registry
    forces: frozenset[str] | None  # slugs to serve; None: all
    per_page: int = 20
    cache_size: int = 4096
    variant: int | None = None  # article pages in this seed's variant markup (``variants``)
    hosts: dict[str, Host] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    _by_host: dict[str, Registry] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _lookup(self, url: str) -> tuple[Force, Site] | None:
        """``registry.for_url``, asked of only the forces with a site on the URL's host (the
        same answer: no other force can match), which is fast enough for the whole archive."""
        host = urlsplit(url).netloc.lower()
        local = self._by_host.get(host)
        if local is None:
            local = Registry([f for f in self.registry if any(s.host == host for s in f.sites)])
            self._by_host[host] = local
        return local.for_url(url)

    def site_for(self, article: Article) -> ReplicaSite | str:
        """The site an article belongs on (made when new), or why it cannot be served."""
        found = self._lookup(article.url)
        if found is None:
            return "no force's site" if self.forces is None else "other force"
        force, site = found
        if self.forces is not None and force.slug not in self.forces:
            return "other force"
        templates = platform_module(site.platform)
        if templates is None:
            return f"platform {site.platform}"
        host = self.hosts.get(site.host)
        if host is None:
            host = self.hosts[site.host] = Host(site.host, self.cache_size)
        for existing in host.sites:
            if existing.site == site and existing.force == force:
                return existing
        made = ReplicaSite(force, site, templates, self.per_page, self.variant)
        host.sites.append(made)
        return made

    def add(self, articles: Iterable[Article]) -> None:
        """Load records (at start: no page is cached yet)."""
        for article in articles:
            site = self.site_for(article)
            if isinstance(site, str):
                if site != "other force":
                    self.skipped[site] += 1
                continue
            site.upsert(article)

    def upsert(self, article: Article) -> bool:
        """Add or replace one record while serving; True when it is new."""
        with self._lock:  # one site made per new site, whoever calls
            site = self.site_for(article)
        if isinstance(site, str):
            raise ValueError(f"cannot serve {article.url}: {site}")
        return self.hosts[site.site.host].upsert(site, article)
