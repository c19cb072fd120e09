"""Markup variants (``newscrawler/replica/variants.py``): deterministic per seed, structurally
different from one seed to another and from the replica's own templates, the same record on
every page (undated records stay undated), served by the replica, and measured per platform."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import urllib.request
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from parsel import Selector

from newscrawler.dates import parse_date
from newscrawler.forces import Force, Site
from newscrawler.importer import extraction, is_target_format
from newscrawler.platforms import platform_for
from newscrawler.record import Article, read
from newscrawler.replica import ReplicaServer, load_records, variants
from newscrawler.replica.markup import markdown_to_html
from newscrawler.replica.sites import platform as replica_platform
from newscrawler.replica.sites.base import path_key
from tests.conftest import SAMPLE_RECORDS
from tests.crawling import same_fields

#: Held-out fidelity the shared test asserts (issue 13's target: 0.99 on every platform): the
#: share of makeable records written exact, at least, on every platform and over all of them.
#: The parsers of commit 5dc5d07 achieved 32.5% (lowest, mynewsdesk) and 44.0% on this test's
#: sample; on 2026-12-03 (afternoon) every platform is at 100% here (2,448 of 2,448) and
#: benchmark 6 has 9,469 of 9,470 exact. One page is 0.8% of a platform here: a single page
#: may go wrong, two may not.
HELD_OUT_MIN_SHARE = 0.99
HELD_OUT_MIN_ALL = 0.995

Located = tuple[Article, Force, Site]


@pytest.fixture(scope="module")
def sample() -> list[Located]:
    return list(variants.located(load_records(SAMPLE_RECORDS)))


@pytest.fixture(scope="module")
def one_per_platform(sample: list[Located]) -> list[Located]:
    seen: dict[str, Located] = {}
    for item in sample:
        seen.setdefault(item[2].platform, item)
    return list(seen.values())


def _classes(page: str) -> set[str]:
    return {c for value in Selector(text=page).xpath("//@class").getall() for c in value.split()}


def _shape(page: str) -> list[str]:
    """The element names of a page's <body>, in document order."""
    return [el.tag for el in Selector(text=page).root.iter() if isinstance(el.tag, str)]


def test_a_seed_gives_the_same_page_every_time(one_per_platform: list[Located]) -> None:
    for article, force, site in one_per_platform:
        assert variants.render_variant(article, force, site, 7) == variants.render_variant(
            article, force, site, 7
        )


def test_seeds_differ_in_structure_and_from_the_replica(one_per_platform: list[Located]) -> None:
    for article, force, site in one_per_platform:
        pages = [variants.render_variant(article, force, site, seed) for seed in variants.TUNING_SEEDS[:8]]
        assert len({frozenset(_classes(p)) for p in pages}) >= 4, site.platform
        assert len({tuple(_shape(p)) for p in pages}) == 8, site.platform
        templates = replica_platform(site.platform)
        assert templates is not None
        with ReplicaServer([article]) as server:
            own = server.reply("/" + site.host + path_key(article.url)).body.decode()
        own_classes = _classes(own)
        # Another naming than the replica's own, in most variants (some schemes use none).
        assert sum(bool(_classes(p) - own_classes) for p in pages) >= 3, site.platform


def test_the_seed_ranges_are_apart() -> None:
    assert not set(variants.TUNING_SEEDS) & set(variants.HELD_OUT_SEEDS)


def test_templates_cover_every_dimension() -> None:
    templates = [variants.Template.choose(seed, "soh") for seed in variants.TUNING_SEEDS[:200]]
    for dimension, wanted in (
        ("naming", set(variants.Namer.SCHEMES)),
        ("headline", {"h1", "h1-span", "h1-link", "h2-logo"}),
        ("title_form", {"pipe", "dash", "prefix", "bare", "own"}),
        ("date_markup", {"time", "text", "meta-only"}),
        ("date_place", {"above", "below", "after-body"}),
        ("article_tag", {"article", "div", "section"}),
        ("og_url", {"none", "article", "home"}),
        ("date_form", {"own", *variants.DATE_FORMS}),
    ):
        assert {getattr(t, dimension) for t in templates} == wanted, dimension
    assert {m for t in templates for m in t.date_meta} == {"article", "json-ld", "microdata"}
    assert {d for t in templates for d in t.description_in} == {"og", "name", "twitter", "json-ld"}


def _json_ld(sel: Selector) -> list[dict[str, str]]:
    """The page's JSON-LD objects (a @graph opened)."""
    out = []
    for raw in sel.css('script[type="application/ld+json"]::text').getall():
        doc = json.loads(raw)
        out += doc.get("@graph", [doc])
    return out


def _stated_dates(sel: Selector, url: str) -> set[date]:
    """Every date a page states for machines or shows in a short text of its own."""
    found = set()
    stamps = sel.xpath("//@datetime | //meta/@content").getall()
    for item in _json_ld(sel):
        stamps += [v for k, v in item.items() if k.startswith("date")]
    for stamp in stamps:
        if re.fullmatch(r"\d{4}-\d\d-\d\d.*", stamp):
            found.add(date.fromisoformat(stamp[:10]))
    for text in sel.xpath("//body//text()").getall():
        if len(text) < 80 and (day := parse_date(text, url)):
            found.add(day)
    return found


def test_every_page_carries_its_record(sample: list[Located]) -> None:
    """What a parser must find is on each page: the headline as a heading, the body's HTML
    whole, the description in a tag (or the body's first paragraph), and the date; a record
    that cannot be made whole gets no publication date at all."""
    undated = 0
    for article, force, site in sample[::3]:
        expected = variants.expected_record(article, force, site)
        for seed in variants.TUNING_SEEDS[:4]:
            page = variants.render_variant(article, force, site, seed)
            sel = Selector(text=page)
            if expected is None:
                undated += 1
                assert "datePublished" not in page and "published_time" not in page
                heading = sel.xpath("//h1|//h2")[0]
                near = " ".join(heading.xpath("../*[position() < 4]//text()").getall())
                assert not re.search(r"Published|Posted", near), near
                continue
            headings = {html.unescape(" ".join(h.xpath(".//text()").getall())) for h in sel.css("h1, h2")}
            assert expected.title in headings, (seed, article.url)
            lifted = markdown_to_html(expected.body)
            assert markdown_to_html(article.body) in page or lifted in page, (seed, article.url)
            raw = article.description if is_target_format(article.meta) else extraction(article).description
            described = sel.xpath("//meta/@content").getall() + [
                item.get("description", "") for item in _json_ld(sel)
            ]
            assert raw in described or (
                not raw
                and expected.description
                == platform_for(force, site).description_from_body(
                    expected.body if lifted in page else article.body
                )
            ), (seed, article.url)
            assert expected.published in _stated_dates(sel, article.url), (seed, article.url)
    assert undated > 0  # the sample holds records without a date (Wiltshire, Scotland, ...)


def test_the_replica_serves_variants(sample: list[Located]) -> None:
    article, force, site = next(item for item in sample if item[1].slug == "kent")
    kent = [a for a, f, _ in sample if f.slug == "kent"]
    target = "/" + site.host + path_key(article.url)
    with (
        ReplicaServer(kent, forces=["kent"], variant=3) as varied,
        ReplicaServer(kent, forces=["kent"]) as own,
    ):
        page = varied.reply(target).body.decode()
        assert page != own.reply(target).body.decode()
        listing = site.params.get("listing") or "/news/kent/news/"
        assert varied.reply("/" + site.host + listing).body == own.reply("/" + site.host + listing).body
    # The replica's page is the variant with the site's neighbours as related news.
    assert _shape(page) != _shape(variants.render_variant(article, force, site, 4))
    assert variants.Template.choose(3, "soh").naming == "none" or _classes(page) - _classes(
        own.reply(target).body.decode()
    )


def test_the_replica_command_serves_variants(sample: list[Located]) -> None:
    """``newscrawler replica --variant SEED`` serves what ``ReplicaServer(variant=SEED)`` does."""
    article, _, site = next(item for item in sample if item[1].slug == "kent")
    target = "/" + site.host + path_key(article.url)
    args = [sys.executable, "-m", "newscrawler", "replica", str(SAMPLE_RECORDS), "kent"]
    with subprocess.Popen(
        [*args, "--port", "0", "--variant", "3"], stdout=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout is not None
            base = next(m.group(1) for line in proc.stdout if (m := re.search(r"serving on (\S+)", line)))
            with urllib.request.urlopen(base + quote(target)) as response:
                served = response.read()
        finally:
            proc.terminate()
    with ReplicaServer(SAMPLE_RECORDS, forces=["kent"], variant=3) as server:
        assert served == server.reply(target).body


def test_fidelity_is_reported_per_platform(sample: list[Located], capsys: pytest.CaptureFixture[str]) -> None:
    seeds = variants.TUNING_SEEDS[:2]
    tallies = variants.measure(sample, seeds)
    print("\n" + variants.table(tallies))
    per_platform = Counter(site.platform for _, _, site in sample)
    assert set(tallies) == set(per_platform)
    for name, t in tallies.items():
        assert t.pages == per_platform[name] * len(seeds)
        assert t.exact + t.reported + t.wrong + t.guessed == t.pages
        assert t.identical <= t.exact <= t.makeable <= t.pages
        assert len(t.wrong_pages) == t.wrong + t.guessed
    assert "all" in capsys.readouterr().out


def test_an_outcome_is_judged_against_the_record(sample: list[Located]) -> None:
    """A parser that gets a field wrong is counted wrong, one that gets nothing reported."""
    article, force, site = next(item for item in sample if item[2].platform == "bch")
    expected = variants.expected_record(article, force, site)
    assert expected is not None
    changed = Article(meta={**expected.meta, "title": expected.title + "!"}, body=expected.body)
    assert variants.differing_fields(expected, changed) == ["title"]
    assert variants.differing_fields(expected, expected) == []
    t = variants.Tally()
    t.add(variants.Outcome(article.url, "bch", 1, "wrong", "title"))
    t.add(variants.Outcome(article.url, "bch", 2, "reported", "no publish.date"))
    t.add(variants.Outcome(article.url, "bch", 3, "exact", identical=True))
    assert (t.pages, t.exact, t.identical, t.reported, t.wrong) == (3, 1, 1, 1, 1)
    assert t.reasons == {"no publish.date": 1} and t.share_exact == pytest.approx(1 / 3)


@pytest.mark.shared
def test_shared_variants_held_out(archive_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Up to 40 records of each platform of the archive on 3 held-out seeds each (in turn over
    the range): the share exact per platform is printed and held to the thresholds above."""
    per: Counter[str] = Counter()
    chosen = []
    for article, force, site in variants.located(load_records(archive_dir)):
        if per[site.platform] < 40:
            per[site.platform] += 1
            chosen.append((article, force, site))
    tallies = variants.measure(chosen, variants.HELD_OUT_SEEDS, per_record=3)
    print("\n" + variants.table(tallies))
    assert len(tallies) >= 21
    assert variants.total(tallies).share_exact >= HELD_OUT_MIN_ALL
    assert {n: t.share_exact for n, t in tallies.items() if t.share_exact < HELD_OUT_MIN_SHARE} == {}
    assert variants.total(tallies).guessed == 0  # a record that cannot be made whole is never written


def test_a_scrape_of_every_area_on_held_out_markup(sample: list[Located], tmp_path: Path) -> None:
    """What a new user does (issue 13): ``newscrawler scrape`` every sample record's address
    from a replica serving a held-out seed's markup, then compare the files with the records
    made whole. Makeable records come back five-field-equal (BCH's byte-identical), and a record
    the page cannot make whole is reported, not written."""
    seed = variants.HELD_OUT_SEEDS[7]
    with ReplicaServer(SAMPLE_RECORDS, variant=seed) as server:
        args = [sys.executable, "-m", "newscrawler", "scrape", "--data", str(tmp_path)]
        for origin, url in server.mirrors.items():
            args += ["--mirror", f"{origin}={url}"]
        done = subprocess.run(
            [*args, *(article.url for article, _, _ in sample)], capture_output=True, text=True, timeout=600
        )
    assert done.returncode in (0, 1), done.stderr[-2000:]  # 1: some records were reported
    written = {(a := read(path)).url: (a, path.read_text()) for path in tmp_path.glob("news/*/*.md")}
    tally: Counter[str] = Counter()
    for article, force, site in sample:
        expected = variants.expected_record(article, force, site)
        got = written.get(expected.url if expected else article.url)
        if expected is None:
            tally["unmakeable written" if got else "unmakeable reported"] += 1
        elif got is None:
            tally["makeable not written"] += 1
        else:
            tally["equal" if not same_fields(expected, got[0]) else "wrong"] += 1
            if site.platform == "bch":
                tally["bch identical" if got[1] == expected.render() else "bch differs"] += 1
    makeable = tally["equal"] + tally["wrong"] + tally["makeable not written"]
    print(dict(tally))
    assert tally["equal"] >= 0.97 * makeable, dict(tally)
    assert tally["unmakeable reported"] > 0 and tally["unmakeable written"] == 0, dict(tally)
    assert tally["bch identical"] > 0 and tally["bch differs"] == 0, dict(tally)
