"""End to end: crawl replicas of forces' sites built from real records (issue 3).

BCH records are in the five-key format already: the crawl must give them back byte for byte.
SOH records carry raw meta: the crawl must give the same five fields as the archive record
after normalisation (``newscrawler import`` of the same records).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newscrawler.dates import parse_date
from newscrawler.importer import import_archive
from newscrawler.record import read
from newscrawler.replica import ReplicaServer
from newscrawler.replica.faults import Faults
from newscrawler.state import State
from tests.conftest import SAMPLE_RECORDS
from tests.crawling import compare_trees, crawl

SOH_SAMPLE = ["kent", "essex", "greater-manchester", "cheshire"]


def _subset(src: Path, areas: list[str], dst: Path) -> Path:
    for area in areas:
        shutil.copytree(src / "news" / area, dst / "news" / area)
    return dst


def test_bch_replica_crawl_is_byte_identical(tmp_path: Path) -> None:
    source = _subset(SAMPLE_RECORDS, ["Bedfordshire"], tmp_path / "src")
    with ReplicaServer(source) as server:
        crawl(["bedfordshire"], tmp_path / "out", server.mirrors)
    identical, _, problems = compare_trees(source, tmp_path / "out")
    total = len(list(source.glob("news/*/*.md")))
    print(f"BCH sample: {identical}/{total} byte-identical")
    assert problems == [] and identical == total


def test_soh_replica_crawl_gives_the_normalised_fields(tmp_path: Path) -> None:
    source = _subset(SAMPLE_RECORDS, ["Kent", "Essex", "Greater Manchester", "Cheshire"], tmp_path / "src")
    expected = tmp_path / "expected"
    import_archive(source, expected, tmp_path / "skipped.tsv")
    with ReplicaServer(source) as server:
        done = crawl(SOH_SAMPLE, tmp_path / "out", server.mirrors)
    _, equal, problems = compare_trees(expected, tmp_path / "out")
    total = len(list(expected.glob("news/*/*.md")))
    print(f"SOH sample: {equal}/{total} with equal fields; {problems[:5]}")
    assert total >= 150 and equal == total, problems
    assert "kent" in done.stderr  # the per-force summary


def test_since_until_and_max_articles_bound_the_crawl(tmp_path: Path) -> None:
    source = _subset(SAMPLE_RECORDS, ["Kent"], tmp_path / "src")
    records = [read(p) for p in source.glob("news/*/*.md")]
    faults = Faults()
    with ReplicaServer(source, fault=faults) as server:
        faults.bind(server)
        crawl(["kent"], tmp_path / "a", server.mirrors, "--since", "2020-06-01", "--until", "2020-12-31")
        asked = {h.path for h in faults.hits}
        crawl(["kent"], tmp_path / "b", server.mirrors, "--max-articles", "5")

    dates = [read(p).published for p in (tmp_path / "a").glob("news/*/*.md")]
    assert dates and all(d is not None and "2020-06-01" <= d.isoformat() <= "2020-12-31" for d in dates)
    # Neither the listings nor the sitemap (by its lastmod) sent it to an older article.
    published = {urlsplit(r.url).path: parse_date(str(r.get("publish.date"))) for r in records}
    older = {path for path, day in published.items() if day and day.isoformat() < "2020-06-01"}
    assert older and not older & asked
    # A bounded run has not read the listings to the end: the next plain run reads on.
    for out in ("a", "b"):
        with State.open(tmp_path / out) as state:
            assert state.complete_through("kent") is None
    assert len(list((tmp_path / "b").glob("news/*/*.md"))) == 5


BCH_AREAS = ["Bedfordshire", "Cambridgeshire", "Hertfordshire"]


@pytest.mark.shared
@pytest.mark.slow
def test_shared_whole_archive_bch_byte_identical(archive_dir: Path, tmp_path: Path) -> None:
    """CI: all 7,600+ BCH records of the archive crawled back byte for byte (at least 99.5%)."""
    bch = _subset(archive_dir, BCH_AREAS, tmp_path / "bch")
    with ReplicaServer(bch) as server:
        crawl(["bedfordshire", "cambridgeshire", "hertfordshire"], tmp_path / "out", server.mirrors)
    identical, _, problems = compare_trees(bch, tmp_path / "out")
    total = len(list(bch.glob("news/*/*.md")))
    print(f"BCH archive: {identical}/{total} byte-identical = {identical / total:.4%}; {problems[:10]}")
    assert identical / total >= 0.995


@pytest.mark.shared
@pytest.mark.slow
def test_shared_whole_archive_soh_fields(archive_dir: Path, tmp_path: Path) -> None:
    """CI: all SOH-platform records of the archive give equal fields (at least 99%)."""
    from newscrawler.forces import registry
    from newscrawler.record import read

    def on_soh(area: str) -> bool:
        first = next((archive_dir / "news" / area).glob("*.md"), None)
        found = registry().for_url(read(first).url) if first else None
        return found is not None and found[1].platform == "soh"

    forces = [f for f in registry() if (archive_dir / "news" / f.area).is_dir() and on_soh(f.area)]
    soh = _subset(archive_dir, [f.area for f in forces], tmp_path / "soh")
    expected = tmp_path / "expected"
    import_archive(soh, expected, tmp_path / "skipped.tsv")
    with ReplicaServer(soh) as server:
        crawl([f.slug for f in forces], tmp_path / "out", server.mirrors, check=False)
    _, equal, problems = compare_trees(expected, tmp_path / "out")
    total = len(list(expected.glob("news/*/*.md")))
    print(f"SOH archive: {equal}/{total} equal fields = {equal / total:.4%}; {problems[:10]}")
    assert equal / total >= 0.99


def test_replica_crawl_with_all_covers_every_force(tmp_path: Path) -> None:
    """`crawl --all` against a replica of the sample (every archive area): each force's records
    land under its own area; forces without records in the sample (North Wales, Ministry of
    Defence) are simply not mirrored."""
    with ReplicaServer(SAMPLE_RECORDS) as server:
        done = crawl([], tmp_path / "out", server.mirrors, "--all")
    areas = {p.name for p in (tmp_path / "out" / "news").iterdir()}
    expected = {p.name for p in (SAMPLE_RECORDS / "news").iterdir()}
    print(f"--all: {len(areas)} areas written of {len(expected)} in the sample")
    assert areas == expected, done.stderr[-2000:]
