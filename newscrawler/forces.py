"""The force registry (``forces.toml``): who the forces are and where their news has lived."""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any
from urllib.parse import urlsplit


class UnknownForceError(ValueError):
    """A force name that is not in the registry."""


@dataclass(frozen=True)
class Site:
    """One site a force's news has lived on."""

    platform: str
    origin: str
    since: int
    until: int | None = None
    live: bool = False
    verified: bool = True
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @cached_property
    def host(self) -> str:
        return urlsplit(self.origin).netloc.lower()


@dataclass(frozen=True)
class Force:
    area: str
    slug: str
    name: str
    sites: tuple[Site, ...]

    @property
    def live_site(self) -> Site:
        """Where the force publishes now (the first live site)."""
        return next((s for s in self.sites if s.live), self.sites[0])

    @property
    def earlier_sites(self) -> tuple[Site, ...]:
        return tuple(s for s in self.sites if not s.live)

    def site_for_url(self, url: str) -> Site | None:
        """The site a URL belongs to, by host (and for SOH, by the force's path slug)."""
        host = urlsplit(url).netloc.lower()
        candidates = [s for s in self.sites if s.host == host]
        if len(candidates) > 1:
            # Same origin used by two platforms over time (a force that moved to SOH on its
            # own domain): SOH articles live under /news/<force>/.
            path = urlsplit(url).path
            for s in candidates:
                slug = s.params.get("force")
                if slug and path.startswith(f"/news/{slug}/"):
                    return s
            return next((s for s in candidates if not s.params.get("force")), candidates[0])
        return candidates[0] if candidates else None


class Registry:
    """All forces, looked up by slug, area or name (case-insensitive)."""

    def __init__(self, forces: list[Force]) -> None:
        self.forces = forces
        self._by_key: dict[str, Force] = {}
        for f in forces:
            for key in (f.slug, f.area, f.name):
                self._by_key[key.lower()] = f

    def __iter__(self) -> Iterator[Force]:
        return iter(self.forces)

    def __len__(self) -> int:
        return len(self.forces)

    def get(self, name: str) -> Force:
        force = self._by_key.get(name.strip().lower())
        if force is None:
            # Near any of the names a force goes by (slug, area, name), said as slugs.
            close = difflib.get_close_matches(name.strip().lower(), self._by_key, n=6)
            slugs = list(dict.fromkeys(self._by_key[key].slug for key in close))[:3]
            hint = f" Did you mean {', '.join(slugs)}?" if slugs else ""
            raise UnknownForceError(f"unknown force {name!r}.{hint} `newscrawler forces` lists them all.")
        return force

    def resolve(self, names: list[str]) -> list[Force]:
        """Forces for command-line names, in order, without repeats; all errors at once."""
        found: list[Force] = []
        errors: list[str] = []
        for name in names:
            for part in filter(None, (p.strip() for p in name.split(","))):
                try:
                    force = self.get(part)
                except UnknownForceError as exc:
                    errors.append(str(exc))
                    continue
                if force not in found:
                    found.append(force)
        if errors:
            raise UnknownForceError("\n".join(errors))
        return found

    def by_area(self, area: str) -> Force | None:
        return next((f for f in self.forces if f.area == area), None)

    def for_url(self, url: str) -> tuple[Force, Site] | None:
        """The force and site an article URL belongs to."""
        matches = [(f, s) for f in self.forces if (s := f.site_for_url(url)) is not None]
        if len(matches) > 1:
            return _pick_shared(matches, url)
        return matches[0] if matches else None


def _pick_shared(matches: list[tuple[Force, Site]], url: str) -> tuple[Force, Site] | None:
    """A host several forces publish on (www.gov.uk): the organisation the URL names, else
    the force whose site there is verified (GOV.UK article URLs rarely name one)."""
    for force, site in matches:
        org = site.params.get("organisation")
        if org and org in url:
            return force, site
    return next(((f, s) for f, s in matches if s.verified), None)


def _load(data: dict[str, Any]) -> list[Force]:
    forces = []
    for row in data["forces"]:
        sites = tuple(Site(**s) for s in row["sites"])
        forces.append(Force(area=row["area"], slug=row["slug"], name=row["name"], sites=sites))
    return forces


@cache
def registry() -> Registry:
    """The registry shipped with the package."""
    text = resources.files("newscrawler").joinpath("forces.toml").read_text(encoding="utf-8")
    return Registry(_load(tomllib.loads(text)))
