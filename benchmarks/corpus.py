"""The records the benchmarks run on: loaded once, sampled deterministically, their expected
records built, cloned under new addresses when a crawl needs more articles than the archive
has, and served by the local replica (loopback only)."""

from __future__ import annotations

import http.client
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from newscrawler.forces import Force, Site, registry
from newscrawler.platforms import UnsupportedPlatformError, platform_for
from newscrawler.platforms.base import Platform
from newscrawler.record import Article, url_key
from newscrawler.replica import ReplicaServer, load_records
from newscrawler.replica.sites import platform as replica_platform
from newscrawler.replica.sites.base import path_key
from newscrawler.replica.variants import expected_record


@dataclass
class Servable:
    """A record the replica can serve, with its force, site and the record a parser should
    give back for its page."""

    article: Article
    force: Force
    site: Site
    expected: Article | None  # None: the record cannot be normalised (not used for accuracy)


_platforms: dict[tuple[str, str], Platform] = {}


def platform_of(force: Force, site: Site) -> Platform:
    key = (force.slug, site.origin)
    if key not in _platforms:
        _platforms[key] = platform_for(force, site)
    return _platforms[key]


def load(source: str | os.PathLike[str], limit: int | None = None) -> list[Servable]:
    """The records of ``source`` that the replica serves (a platform it has templates for),
    in a stable order (sha1 of the url), each url once."""
    reg = registry()
    found: dict[str, Servable] = {}
    for article in load_records(source):
        located = reg.for_url(article.url) if article.url else None
        if located is None or replica_platform(located[1].platform) is None:
            continue
        force, site = located
        try:
            platform_of(force, site)
        except UnsupportedPlatformError:
            continue
        found.setdefault(article.url, Servable(article, force, site, expected_record(article, force, site)))
    ordered = [found[u] for u in sorted(found, key=url_key)]
    return ordered[:limit] if limit else ordered


def _round_robin(groups: list[list[Servable]], n: int) -> list[Servable]:
    queues = [list(reversed(g)) for g in groups]
    chosen: list[Servable] = []
    while len(chosen) < n and any(queues):
        for q in queues:
            if q and len(chosen) < n:
                chosen.append(q.pop())
    return chosen


def sample(
    records: Sequence[Servable], n: int, *, accurate_only: bool = False, by_platform: bool = False
) -> list[Servable]:
    """``n`` records spread over the forces: round robin over forces (over platforms first,
    with ``by_platform``), each force's records in sha1 order, so small forces and platforms
    are represented and the choice is the same every run."""
    by_force: dict[tuple[str, str], list[Servable]] = {}
    for r in records:
        if accurate_only and r.expected is None:
            continue
        by_force.setdefault((r.site.platform if by_platform else "", r.force.slug), []).append(r)
    if not by_platform:
        return _round_robin([v for _, v in sorted(by_force.items())], n)
    platforms = sorted({p for p, _ in by_force})
    spread = [
        _round_robin([v for (p, _), v in sorted(by_force.items()) if p == name], n) for name in platforms
    ]
    return _round_robin(spread, n)


def clone(article: Article, copy: int) -> Article:
    """The same article under another address on the same site (``<slug>-copy<N>``): more
    articles for a crawl than the archive has, with real pages' text and sizes."""
    parts = urlsplit(article.url)
    path = parts.path
    trailing = path.endswith("/")
    head, _, last = path.rstrip("/").rpartition("/")
    new_path = f"{head}/{last}-copy{copy}" + ("/" if trailing else "")
    url = parts._replace(path=new_path).geturl()
    meta = {**article.meta, "url": url}
    if isinstance(meta.get("og"), dict) and "url" in meta["og"]:
        meta["og"] = {**meta["og"], "url": url}
    return Article(meta=meta, body=article.body)


def articles(records: Sequence[Servable], n: int) -> list[Article]:
    """``n`` articles: the records (spread over forces), then clones of them as needed."""
    base = sample(records, min(n, len(records)))
    out = [r.article for r in base]
    copy = 1
    while len(out) < n:
        for r in base:
            if len(out) >= n:
                break
            out.append(clone(r.article, copy))
        copy += 1
    return out


class RequestCounter:
    """A replica fault hook that answers nothing and counts requests per host."""

    def __init__(self) -> None:
        self.by_host: Counter[str] = Counter()

    def __call__(self, target: str) -> None:
        self.by_host[target.lstrip("/").partition("/")[0].lower()] += 1

    def reset(self) -> None:
        self.by_host.clear()


def serve(items: Iterable[Article], counter: RequestCounter | None = None) -> ReplicaServer:
    """A replica of these articles on 127.0.0.1 (not started)."""
    return ReplicaServer(list(items), fault=counter)


def forces_served(server: ReplicaServer) -> list[str]:
    return sorted({s.force for s in server.sites})


def mirror_args(server: ReplicaServer) -> list[str]:
    args = []
    for origin, url in server.mirrors.items():
        assert urlsplit(url).hostname == "127.0.0.1", url  # never anything but this machine
        args += ["--mirror", f"{origin}={url}"]
    return args


class PageFetcher:
    """Fetches pages of a running replica over one kept-alive connection (loopback only)."""

    def __init__(self, server: ReplicaServer) -> None:
        parts = urlsplit(server.base_url)
        assert parts.hostname == "127.0.0.1", server.base_url
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)

    def get(self, site: Site, url: str) -> bytes:
        target = "/" + site.host + path_key(url)
        from urllib.parse import quote

        self.conn.request("GET", quote(target, safe="/?=&%:+,;@!$'()*~"))
        response = self.conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"replica answered {response.status} for {url}")
        return body

    def close(self) -> None:
        self.conn.close()


def default_source() -> Path:
    from benchmarks.common import ARCHIVE

    return ARCHIVE
