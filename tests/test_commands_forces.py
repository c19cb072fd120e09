"""``newscrawler forces``: the registry as a table and as JSON."""

from __future__ import annotations

import json

import pytest

from newscrawler.cli import main


def test_table_lists_every_force_with_its_platform_and_earlier_sites(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["forces"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["area", "slug", "platform", "news", "earlier", "verified"]
    kent = next(line for line in lines if line.startswith("Kent "))
    assert "https://www.kent.police.uk/news/kent/latest/" in kent and kent.endswith("yes")
    beds = next(line for line in lines if line.startswith("Bedfordshire "))
    assert "bch (www.bedfordshire.police.uk, 2015–2022)" in beds
    assert "48 forces" in out


def test_json_has_one_entry_per_force(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forces", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 48
    met = next(r for r in rows if r["slug"] == "met")
    assert met["platform"] == "mynewsdesk"
    assert met["news"] == "https://news.met.police.uk/latest_news/page/1"
    avon = next(r for r in rows if r["slug"] == "avon-and-somerset")
    assert avon["verified"] is False
    assert avon["earlier"] == [
        {
            "platform": "wordpress",
            "origin": "https://www.avonandsomerset.police.uk",
            "since": 2015,
            "until": 2021,
        }
    ]
