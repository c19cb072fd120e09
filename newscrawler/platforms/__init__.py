"""One module per news platform; ``platform_for`` picks the one a force's site runs on."""

from __future__ import annotations

from newscrawler.forces import Force, Site
from newscrawler.platforms.base import Platform
from newscrawler.platforms.bch import BCH
from newscrawler.platforms.soh import SOH

PLATFORMS: dict[str, type[Platform]] = {cls.name: cls for cls in (SOH, BCH)}


class UnsupportedPlatformError(ValueError):
    """A site whose platform has no parser yet."""


def platform_for(force: Force, site: Site) -> Platform:
    try:
        return PLATFORMS[site.platform](force, site)
    except KeyError:
        raise UnsupportedPlatformError(
            f"{force.slug}: no parser for platform {site.platform!r} ({site.origin})"
        ) from None
