"""The item: the fields a parsed page gives travel to the record and the state, the
publication time with them (not in the record file, which keeps five keys)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from newscrawler.commands.parse import parse_page
from newscrawler.items import ArticleItem

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.mark.parametrize(
    ("fixture", "clock"),
    [
        ("soh/kent-news", "12:11"),  # "12:11 26/09/2019"
        ("mynewsdesk/met-murder-appeal", "14:40"),  # "Feb 28, 2021 14:40 GMT"
        ("govuk/cnc-award", "10:23"),  # ISO meta "2019-10-03T10:23:00+01:00"
        ("lincolnshire/lincolnshire-assault", "23:36"),  # "26 Dec 20 11:36 PM"
        ("bch/" + next((FIXTURES / "bch").glob("*.url")).stem, None),  # the page shows a date only
    ],
)
def test_the_time_a_page_shows_travels_with_the_item(fixture: str, clock: str | None) -> None:
    stem = FIXTURES / fixture
    url = stem.with_name(stem.name + ".url").read_text(encoding="utf-8").strip()
    article = parse_page(gzip.decompress(stem.with_name(stem.name + ".html.gz").read_bytes()), url)
    item = ArticleItem.from_article(article, fetched_at="2024-05-01T12:00:00+00:00")
    assert article.time == item.time == item.to_article().time == clock
    assert item.to_article().render() == article.render()  # the file is the same, time or not
    assert "time" not in article.meta
