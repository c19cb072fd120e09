from __future__ import annotations

import pytest

from newscrawler.mirrors import MirrorError, Mirrors


def test_mirror_with_path_prefix_maps_both_ways() -> None:
    m = Mirrors.parse(["https://www.kent.police.uk=http://127.0.0.1:8080/kent"])
    url = "https://www.kent.police.uk/news/kent/news/x/"
    assert m.to_fetch(url) == "http://127.0.0.1:8080/kent/news/kent/news/x/"
    assert m.to_origin("http://127.0.0.1:8080/kent/news/kent/news/x/") == url
    assert m.to_fetch("https://www.essex.police.uk/a") == "https://www.essex.police.uk/a"
    assert m.to_origin("http://127.0.0.1:8080/kentish/x") == "http://127.0.0.1:8080/kentish/x"
    assert m.covers("https://www.kent.police.uk")


def test_http_and_https_of_a_site_share_a_mirror() -> None:
    m = Mirrors({"https://www.scotland.police.uk": "http://127.0.0.1:1/s"})
    assert (
        m.to_fetch("http://www.scotland.police.uk/what-s-happening/")
        == "http://127.0.0.1:1/s/what-s-happening/"
    )


@pytest.mark.parametrize(
    "value",
    ["no-equals", "www.kent.police.uk=http://x", "https://k.uk/path=http://x", "https://k.uk=ftp://x"],
)
def test_bad_mirrors_are_clear_errors(value: str) -> None:
    with pytest.raises(MirrorError):
        Mirrors.parse([value])
