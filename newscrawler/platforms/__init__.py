"""One module per news platform; ``platform_for`` picks the one a force's site runs on."""

from __future__ import annotations

from newscrawler.forces import Force, Site
from newscrawler.platforms.base import Platform
from newscrawler.platforms.bch import BCH
from newscrawler.platforms.btp_media import BTPMedia
from newscrawler.platforms.cumbria import Cumbria
from newscrawler.platforms.devon_cornwall import DevonCornwall
from newscrawler.platforms.dorset import Dorset
from newscrawler.platforms.durham import Durham
from newscrawler.platforms.govuk import GovUK
from newscrawler.platforms.humberside import Humberside
from newscrawler.platforms.lancashire import Lancashire
from newscrawler.platforms.lincolnshire import Lincolnshire
from newscrawler.platforms.mynewsdesk import Mynewsdesk
from newscrawler.platforms.norfolk_suffolk import NorfolkSuffolk
from newscrawler.platforms.northumbria import Northumbria
from newscrawler.platforms.nottinghamshire import Nottinghamshire
from newscrawler.platforms.psni import PSNI
from newscrawler.platforms.scotland import Scotland
from newscrawler.platforms.soh import SOH
from newscrawler.platforms.south_yorkshire import SouthYorkshire
from newscrawler.platforms.west_midlands import WestMidlands
from newscrawler.platforms.west_yorkshire import WestYorkshire
from newscrawler.platforms.wiltshire import Wiltshire
from newscrawler.platforms.wordpress import WordPress

PLATFORMS: dict[str, type[Platform]] = {
    cls.name: cls
    for cls in (
        SOH,
        BCH,
        BTPMedia,
        Cumbria,
        DevonCornwall,
        Dorset,
        Durham,
        GovUK,
        Humberside,
        Lancashire,
        Lincolnshire,
        Mynewsdesk,
        NorfolkSuffolk,
        Northumbria,
        Nottinghamshire,
        PSNI,
        Scotland,
        SouthYorkshire,
        WestMidlands,
        WestYorkshire,
        Wiltshire,
        WordPress,
    )
}


class UnsupportedPlatformError(ValueError):
    """A site whose platform has no parser yet."""


def platform_for(force: Force, site: Site) -> Platform:
    try:
        return PLATFORMS[site.platform](force, site)
    except KeyError:
        raise UnsupportedPlatformError(
            f"{force.slug}: no parser for platform {site.platform!r} ({site.origin})"
        ) from None
