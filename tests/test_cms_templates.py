"""Real-CMS-style article pages (``newscrawler/replica/cms_templates.py``) and their benchmark
(``benchmarks/cms_templates.py``): every template shows every sample record's title, and its
date when the record can be made whole, and none when it cannot; the measurement runs."""

from __future__ import annotations

from datetime import date

import pytest
from parsel import Selector

from benchmarks import cms_templates as bench
from newscrawler.forces import Force, Site
from newscrawler.record import Article
from newscrawler.replica import cms_templates, load_records, variants
from tests.conftest import SAMPLE_RECORDS

Located = tuple[Article, Force, Site]


@pytest.fixture(scope="module")
def sample() -> list[Located]:
    return list(variants.located(load_records(SAMPLE_RECORDS)))


def _text(page: str) -> str:
    """The page's words as a reader (or a parser reading attributes) meets them."""
    sel = Selector(text=page)
    return " ".join([*sel.xpath("//text()").getall(), *sel.xpath("//@content | //@datetime").getall()])


def _forms(day: date) -> list[str]:
    """The forms the templates write a publication date in."""
    return [
        day.isoformat(),
        f"{day.day} {day:%B %Y}",
        f"{day:%d/%m/%Y}",
        f"{day:%d %B %Y}",
        f"{day:%b} {day.day}, {day:%Y}",
        f"{day:%B} {day.day}, {day:%Y}",
        f"{cms_templates.ordinal(day.day)} {day:%B %Y}",
    ]


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", list(cms_templates.TEMPLATES))
def test_every_template_shows_every_record(name: str, sample: list[Located]) -> None:
    for article, force, site in sample:
        page = cms_templates.render(name, article, force, site)
        assert page == cms_templates.render(name, article, force, site)  # deterministic
        text = _squash(_text(page))
        expected = variants.expected_record(article, force, site)
        shown = cms_templates.story(article, force, site)
        assert _squash(shown.title) in text, (name, article.url)
        if expected is not None:
            assert expected.published is not None
            assert any(form in text for form in _forms(expected.published)), (name, article.url)
            assert _squash(expected.title) in text, (name, article.url)


@pytest.mark.parametrize("name", list(cms_templates.TEMPLATES))
def test_an_undated_record_shows_no_date_of_its_own(name: str, sample: list[Located]) -> None:
    """An undated page's other dates are the other stories' (around 1 June 2020) and their
    updates: never the raw record's own date text."""
    undated = [item for item in sample if variants.expected_record(*item) is None]
    assert undated
    for article, force, site in undated:
        page = cms_templates.render(name, article, force, site)
        assert "datePublished" not in page and "published_time" not in page, (name, article.url)
        assert cms_templates.story(article, force, site).day is None


def test_the_measurement_runs_on_a_few_records(
    sample: list[Located], capsys: pytest.CaptureFixture[str]
) -> None:
    few = sample[:: len(sample) // 6][:6]
    for name in cms_templates.TEMPLATES:
        tallies, bad = bench.measure(few, name)
        total = variants.total(tallies)
        assert total.pages == len(few)
        assert total.exact + total.reported + total.wrong + total.guessed == total.pages
        assert len(bad) == total.wrong + total.guessed
    assert bench.main([str(SAMPLE_RECORDS), "--limit", "1", "--template", "amp", "-v"]) == 0
    out = capsys.readouterr().out
    assert "== amp" in out and out.rstrip().splitlines()[-1].startswith("amp: ")
