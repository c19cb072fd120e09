from __future__ import annotations

import pytest

from newscrawler.forces import UnknownForceError, registry
from newscrawler.platforms import platform_for


def test_registry_has_every_force_once() -> None:
    reg = registry()
    assert len(reg) == 48
    assert len({f.slug for f in reg}) == 48
    assert len({f.area for f in reg}) == 48
    for force in reg:
        assert force.live_site.live, force.slug


def test_lookup_by_slug_area_or_name_and_suggestions() -> None:
    reg = registry()
    assert reg.get("kent").area == "Kent"
    assert reg.get("Greater Manchester").slug == "greater-manchester"
    assert reg.get("metropolitan police service").slug == "met"
    with pytest.raises(UnknownForceError, match="Did you mean met"):
        reg.get("Metropolitn")
    with pytest.raises(UnknownForceError, match="Did you mean kent"):
        reg.get("kentt")
    with pytest.raises(UnknownForceError) as exc:
        reg.resolve(["kent,nowhere", "elsewhere"])
    assert "nowhere" in str(exc.value) and "elsewhere" in str(exc.value)


def test_url_to_force_and_site() -> None:
    reg = registry()
    found = reg.for_url("https://www.bedfordshire.police.uk/news-and-appeals/x-mar20")
    assert found is not None and found[0].slug == "bedfordshire" and found[1].platform == "bch"
    found = reg.for_url("https://www.cambs.police.uk/news-and-appeals/x")
    assert found is not None and found[1].platform == "bch"
    found = reg.for_url("https://www.cambs.police.uk/news/cambridgeshire/news/2023/x/")
    assert found is not None and found[1].platform == "soh"
    assert reg.for_url("https://example.com/news/x") is None


def test_soh_discovery_addresses() -> None:
    reg = registry()
    kent = reg.get("kent")
    soh = platform_for(kent, kent.live_site)
    assert soh.listing_urls() == ["https://www.kent.police.uk/news/kent/latest/"]
    assert soh.feed_urls() == ["https://www.kent.police.uk/news/kent/news/GetNewsRss/"]
    northants = reg.get("northamptonshire")
    assert platform_for(northants, northants.live_site).listing_urls() == [
        "https://www.northants.police.uk/news/northants/news/"
    ]
