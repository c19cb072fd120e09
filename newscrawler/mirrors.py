"""Mirrors: fetch a force's pages from another address while records keep its own URLs.

``https://www.kent.police.uk=http://127.0.0.1:8080/kent`` fetches
``https://www.kent.police.uk/news/x/`` from ``http://127.0.0.1:8080/kent/news/x/``. Used by the
replica, the tests and benchmarks, and for reading a site from a web archive.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit


class MirrorError(ValueError):
    """A --mirror value that is not ORIGIN=URL."""


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class Mirrors:
    """A map from force origins to the base URLs actually fetched, both ways."""

    def __init__(self, mapping: Mapping[str, str] | None = None) -> None:
        self._to_mirror: dict[str, str] = {}
        for origin, base in (mapping or {}).items():
            self.add(origin, base)

    def add(self, origin: str, base: str) -> None:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path.strip("/"):
            raise MirrorError(f"mirror origin {origin!r} must be scheme://host, without a path")
        mirror = urlsplit(base)
        if mirror.scheme not in ("http", "https") or not mirror.netloc:
            raise MirrorError(f"mirror address {base!r} must be an http(s) URL")
        self._to_mirror[_origin(origin)] = base.rstrip("/")

    @classmethod
    def parse(cls, values: Iterable[str]) -> Mirrors:
        """From ``ORIGIN=URL`` strings (the command line's ``--mirror``)."""
        mirrors = cls()
        for value in values:
            origin, sep, base = value.partition("=")
            if not sep:
                raise MirrorError(f"--mirror takes ORIGIN=URL, got {value!r}")
            mirrors.add(origin.strip(), base.strip())
        return mirrors

    def __bool__(self) -> bool:
        return bool(self._to_mirror)

    def as_dict(self) -> dict[str, str]:
        return dict(self._to_mirror)

    def all_local(self) -> bool:
        """Every mirror is on this machine (loopback)."""
        hosts = (urlsplit(base).hostname or "" for base in self._to_mirror.values())
        return all(h == "localhost" or h == "::1" or h.startswith("127.") for h in hosts)

    def covers(self, origin: str) -> bool:
        return _origin(origin) in self._to_mirror

    def _other_scheme(self, origin: str) -> str | None:
        # http:// and https:// of a force are the same site (Scotland moved from one to the other).
        scheme, _, rest = origin.partition("://")
        twin = ("https" if scheme == "http" else "http") + "://" + rest
        return twin if twin in self._to_mirror else None

    def to_fetch(self, url: str) -> str:
        """The address to fetch for a force URL (the URL itself when not mirrored)."""
        origin = _origin(url)
        key = origin if origin in self._to_mirror else self._other_scheme(origin)
        if key is None:
            return url
        return self._to_mirror[key] + url[len(origin) :]

    def to_origin(self, url: str) -> str:
        """The force URL for a fetched address (the address itself when not a mirror's)."""
        for origin, base in self._to_mirror.items():
            if url == base or url.startswith(base + "/") or url.startswith(base + "?"):
                return origin + url[len(base) :]
        return url
