"""Every platform's parser, on saved pages and on every area's records.

Fixtures: ``tests/fixtures/<platform>/<name>.html.gz`` (a page as its site serves it), with
``<name>.url`` (the address it was fetched from) and ``<name>.md`` (the record it must give, in
the exact file format), all checked by one test through ``parse_page``.

Areas: each archive record's raw fields are put in a minimal page for its platform (meta tags,
``<title>``, the shown date, the body) and parsed. The truth is only the BCH areas' five-key
records; elsewhere what is knowable is checked: the date equals the date the raw record shows,
the title carries no site affix, the url is the record's, the description is the page's or the
first paragraph, and the body does not start with a date line.
"""

from __future__ import annotations

import gzip
import html
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from scrapy.http import HtmlResponse

from newscrawler.commands.parse import parse_page
from newscrawler.dates import format_date, parse_date
from newscrawler.forces import registry
from newscrawler.platforms import PLATFORMS, platform_for
from newscrawler.platforms.base import ExtractionError, NotAnArticle, clean_text, is_date_line
from newscrawler.record import OPEN_FENCE, Article, parse
from newscrawler.replica.markup import markdown_to_html
from tests.conftest import SAMPLE_RECORDS

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAGES = sorted(FIXTURES.glob("*/*.html.gz"))
#: Areas the BCH shared site served: their records are the five-key truth.
FIVE_KEY_AREAS = frozenset({"Bedfordshire", "Cambridgeshire", "Hertfordshire"})
TARGET = 0.98


def _stem(page: Path) -> Path:
    return page.with_name(page.name.removesuffix(".html.gz"))


def test_every_platform_has_a_fixture() -> None:
    assert set(PLATFORMS) <= {p.parent.name for p in PAGES}


def _fixture(page: Path) -> Any:
    return pytest.param(page, id=f"{page.parent.name}/{_stem(page).name}")


@pytest.mark.parametrize("page", [_fixture(p) for p in PAGES])
def test_fixture_page_gives_its_record(page: Path) -> None:
    stem = _stem(page)
    url = stem.with_name(stem.name + ".url").read_text(encoding="utf-8").strip()
    expected = stem.with_name(stem.name + ".md").read_text(encoding="utf-8")
    assert parse_page(gzip.decompress(page.read_bytes()), url).render() == expected


# ---- every area's records -------------------------------------------------------------------
_META_PREFIXES = ("og", "article", "twitter", "fb", "pressroom")
_TWO_DIGIT_YEAR = re.compile(r"\b(\d\d) ([A-Z][a-z]{2}) (\d\d) \d{1,2}:\d\d [AP]M\b")
_RELEASE = re.compile(r"Release date: (\d{1,2}/[A-Z][a-z]{2}/\d{4})")
_PUBLISHED = re.compile(r"(?:Published|Posted)[^\n]{0,50}?\d{4}")


def _flat(meta: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in meta.items():
        if isinstance(value, dict):
            yield from _flat(value, f"{prefix}{key}.")
        else:
            yield prefix + key, str(value)


def minimal_page(meta: dict[str, str], body: str) -> bytes:
    """The raw fields as a page: meta tags as written, ``<title>``, the shown date, the body."""
    head = [f"<title>{html.escape(meta['title'])}</title>"] if "title" in meta else []
    for key, value in meta.items():
        prefix, *rest = key.split(".")
        if prefix in _META_PREFIXES and rest:
            kind = "name" if prefix in ("twitter", "pressroom") else "property"
            head.append(f'<meta {kind}="{prefix}:{"_".join(rest)}" content="{html.escape(value)}">')
    shown = meta.get("publish.date") or (f"{meta['day']} {meta['month']}" if "day" in meta else "")
    when = f'<span class="published-date">{html.escape(shown)}</span>' if shown else ""
    return (
        f"<html><head>{''.join(head)}</head><body><main>{when}"
        f"<article>{markdown_to_html(body)}</article></main></body></html>"
    ).encode()


def shown_date(meta: dict[str, str], body: str, url: str) -> date | None:
    """The date the raw record shows, wherever its platform put it; None: it shows none."""
    blocks = body.split("\n\n")
    for key in ("publish.date", "article.published.time"):
        if key in meta and (found := parse_date(meta[key], url)):
            return found
    if "day" in meta:
        return parse_date(f"{meta['day']} {meta['month']}", url)
    for block in [*blocks[:3], blocks[-1]]:
        if is_date_line(block, url):
            return parse_date(re.sub(r"[*_#]", " ", block), url)
    if m := _RELEASE.search(body):
        return datetime.strptime(m.group(1), "%d/%b/%Y").date()
    if m := _TWO_DIGIT_YEAR.search(body):
        return datetime.strptime(" ".join(m.groups()), "%d %b %y").date()
    if m := _PUBLISHED.search(body):
        return parse_date(m.group(0).replace("_", " "), url)
    return None


def _affix(force_name: str, meta: dict[str, str]) -> re.Pattern[str]:
    names = {force_name, meta.get("og.site.name", force_name), "SYP", "GOV.UK", "PSNI"}
    names |= {"Metropolitan Police", "News | West Midlands Police", "Police Scotland"}
    alternatives = "|".join(map(re.escape, names))
    return re.compile(rf"^\s*(?:{alternatives})\s+[-|–]\s|\s[-|–]\s*(?:{alternatives})\s*$|\|\s*$")


def check_record(area: str, text: str) -> list[str] | None:
    """What is wrong with the record the platform makes of an archive record; None when the
    archive record shows no date (it cannot be checked, and the crawler reports it)."""
    raw = parse(text)
    meta = dict(_flat(raw.meta))
    url = meta["url"]
    expected_date = shown_date(meta, raw.body, url)
    if expected_date is None:
        return None
    force = registry().by_area(area)
    assert force is not None, area
    site = force.site_for_url(url)
    assert site is not None, url
    response = HtmlResponse(url=url, body=minimal_page(meta, raw.body), encoding="utf-8")
    try:
        article = platform_for(force, site).parse(response)
    except (ExtractionError, NotAnArticle) as exc:
        return [f"error: {exc}"]
    return _problems(area, force.name, meta, raw, article, expected_date)


def _spaced(text: str) -> str:
    """Text with every run of spaces (non-breaking ones too) as one space: descriptions keep
    the page's non-breaking spaces or not as base decides; the words are what is checked."""
    return " ".join(text.replace("\xa0", " ").split())


def _problems(
    area: str, force_name: str, meta: dict[str, str], raw: Article, article: Article, shown: date
) -> list[str]:
    found = []
    if article.get("publish.date") != format_date(shown):
        found.append(f"date: {article.get('publish.date')} for {format_date(shown)}")
    if article.url != urlunsplit(urlsplit(meta["url"])._replace(fragment="")):
        found.append(f"url: {article.url}")
    if not article.title or _affix(force_name, meta).search(article.title):
        found.append(f"title: {article.title!r}")
    description = _spaced(clean_text(meta.get("og.description")))
    if (description and _spaced(article.description) != description) or not article.description:
        found.append(f"description: {article.description!r}")
    if is_date_line(article.body.split("\n\n", 1)[0], article.url):
        found.append(f"body starts with a date: {article.body[:40]!r}")
    if area in FIVE_KEY_AREAS:
        found += [
            f"{key}: {article.get(key)!r} for {raw.get(key)!r}"
            for key in ("area", "og.description", "publish.date", "title", "url")
            if article.get(key) != raw.get(key)
        ]
    return found


@dataclass
class Share:
    """One area's result: records checked, how many came out right, what went wrong."""

    records: int = 0
    undated: int = 0
    right: int = 0
    problems: Counter[str] = field(default_factory=Counter)
    example: dict[str, str] = field(default_factory=dict)

    @property
    def checked(self) -> int:
        return self.records - self.undated

    @property
    def share(self) -> float:
        return self.right / self.checked if self.checked else 1.0

    def add(self, name: str, problems: list[str] | None) -> None:
        self.records += 1
        if problems is None:
            self.undated += 1
        elif not problems:
            self.right += 1
        for problem in problems or []:
            kind = problem.split(":", 1)[0]
            self.problems[kind] += 1
            self.example.setdefault(kind, f"{name}: {problem}")


def measure(news: Path) -> dict[str, Share]:
    shares: dict[str, Share] = {}
    for path in sorted(news.glob("*/*.md")):
        area = path.parent.name
        text = path.read_text(encoding="utf-8")
        assert text.startswith(OPEN_FENCE)
        shares.setdefault(area, Share()).add(path.name, check_record(area, text))
    return shares


def report(shares: dict[str, Share]) -> str:
    lines = [f"{'area':<20} {'share':>8} {'right':>6} {'checked':>8} {'undated':>8}  problems"]
    for area, s in sorted(shares.items()):
        lines.append(
            f"{area:<20} {s.share:>8.2%} {s.right:>6} {s.checked:>8} {s.undated:>8}  "
            + ", ".join(f"{k} {n}" for k, n in s.problems.most_common())
        )
    return "\n".join(lines)


def _below_target(shares: dict[str, Share]) -> dict[str, str]:
    return {
        area: f"{s.share:.2%}; e.g. {next(iter(s.example.values()), '')}"
        for area, s in shares.items()
        if s.share < TARGET
    }


def test_platform_normalisation_sample() -> None:
    """The small real sample in tests/data (every area): runs everywhere."""
    shares = measure(SAMPLE_RECORDS / "news")
    assert len(shares) >= 46
    assert _below_target(shares) == {}, report(shares)


@pytest.mark.shared
def test_shared_platform_normalisation(archive_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every record of the archive; prints the share per area (target 98%)."""
    shares = measure(archive_dir / "news")
    with capsys.disabled():
        print("\n" + report(shares))
    assert _below_target(shares) == {}, report(shares)
