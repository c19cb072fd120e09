"""``newscrawler backfill`` against a real pywb on 127.0.0.1 (tests/archives.py), serving WARCs
of replica pages of Bedfordshire's two eras: the BCH site (the sample's real records,
captured 2017–2021) and the SOH site that followed it (Essex sample records moved to
Bedfordshire's SOH address, captured 2023), with captures an archive also holds: a second
capture of an article, a 404, a PDF, the listing, and a BCH address captured only after the
site's years. The index is pywb's own, and once the Internet Archive's form of it (served
here, through --cdx), which filters nothing: the back-fill's own checks do."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from newscrawler.dates import parse_record_date
from newscrawler.importer import import_archive
from newscrawler.record import Article, read
from newscrawler.replica import load_records
from newscrawler.state import State
from tests.archives import PYWB_MISSING, ArchivedPage, Pywb, replica_pages, write_warc
from tests.conftest import SAMPLE_RECORDS
from tests.crawling import compare_trees
from tests.servers import Trap

pytestmark = pytest.mark.skipif(PYWB_MISSING is not None, reason=PYWB_MISSING or "")

BCH_HOST = "https://www.bedfordshire.police.uk"
SOH_RECORDS = 10


def _soh_sources(dst: Path) -> Path:
    """Essex's SOH sample records, as if Bedfordshire's SOH site had published them."""
    folder = dst / "news" / "Bedfordshire"
    folder.mkdir(parents=True)
    for path in sorted((SAMPLE_RECORDS / "news" / "Essex").glob("*.md"))[:SOH_RECORDS]:
        text = path.read_text(encoding="utf-8")
        text = text.replace("www.essex.police.uk/news/essex/", "www.beds.police.uk/news/bedfordshire/")
        text = text.replace("area: Essex", "area: Bedfordshire").replace(
            "| Essex Police", "| Bedfordshire Police"
        )
        (folder / path.name).write_text(text, encoding="utf-8")
    return dst


def _noise(bch: list[Article], pages: list[ArchivedPage]) -> list[ArchivedPage]:
    """Captures a back-fill must not fetch or write."""
    html = "text/html; charset=utf-8"
    again = next(p for p in pages if p.url == bch[0].url)
    gone = b"<html><head><title>Page not found</title></head><body><h1>Page not found</h1></body></html>"
    late = pages[1].body.replace(
        bch[1].url.encode(), f"{BCH_HOST}/news-and-appeals/captured-too-late".encode()
    )
    return [
        ArchivedPage(again.url, datetime(2021, 6, 1), 200, again.content_type, again.body),
        ArchivedPage(f"{BCH_HOST}/news-and-appeals/gone-2019", datetime(2019, 5, 1), 404, html, gone),
        ArchivedPage(f"{BCH_HOST}/news-and-appeals/leaflet.pdf", datetime(2019, 5, 2), 200, "application/pdf",
                     b"%PDF-1.4\n"),
        ArchivedPage(f"{BCH_HOST}/news-and-appeals", datetime(2019, 5, 3), 200, html, pages[0].body),
        ArchivedPage(f"{BCH_HOST}/news-and-appeals/captured-too-late", datetime(2023, 2, 1), 200, html, late),
    ]  # fmt: skip


class Archive:
    """pywb serving the two eras, and the SOH records a back-fill must give (normalised)."""

    def __init__(self, pywb: Pywb, soh: Path) -> None:
        self.pywb, self.soh = pywb, soh


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    root = tmp_path_factory.mktemp("archive")
    bch = [r for r in load_records(SAMPLE_RECORDS) if r.area == "Bedfordshire"]
    soh_src = _soh_sources(root / "soh-src")
    soh = list(load_records(soh_src))
    when = {
        r.url: datetime.combine(parse_record_date(str(r.get("publish.date"))), datetime.min.time())
        + timedelta(days=1, hours=12)
        for r in bch
    }
    when |= {r.url: datetime(2023, 3, 1 + i) for i, r in enumerate(soh)}
    bch_pages = replica_pages(bch, when)
    # An early capture naming its page with http:// (og:url): its record keeps the https
    # address the index lists, as the sample has it.
    first = bch_pages[0]
    http = f'<meta property="og:url" content="{first.url.replace("https://", "http://")}">\n'
    bch_pages[0] = replace(
        first, body=first.body.replace(b"<meta property=", http.encode() + b"<meta property=", 1)
    )
    assert bch_pages[0].body != first.body
    warcs = [
        write_warc(root / "bch.warc.gz", [*bch_pages, *_noise(bch, bch_pages)]),
        write_warc(root / "soh.warc.gz", replica_pages(soh, when)),
    ]
    expected_soh = root / "soh-expected"
    import_archive(soh_src, expected_soh, root / "skipped.tsv")
    with Pywb(root / "pywb", warcs) as pywb:
        yield Archive(pywb, expected_soh)


def _args(archive: Archive, out: Path, first: int, last: int, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "newscrawler", "backfill", "bedfordshire", "--archive", archive.pywb.archive,
        "--from", str(first), "--to", str(last), "--data", str(out), "-q", *extra,
    ]  # fmt: skip


def _backfill(archive: Archive, out: Path, first: int = 2015, last: int = 2021) -> dict[str, int]:
    """Run a back-fill to its end; what it asked pywb for."""
    archive.pywb.reset()
    done = subprocess.run(_args(archive, out, first, last), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return archive.pywb.requests()


def _last_report(out: Path) -> dict[str, int]:
    """The force's counts in the last run report."""
    last = sorted((out / "runs").glob("*.json"))[-1]
    counts: dict[str, int] = json.loads(last.read_text())["forces"]["bedfordshire"]
    return counts


def _records(out: Path) -> list[Path]:
    return sorted(out.glob("news/*/*"))


def _assert_bch_sample(paths: list[Path], out: Path) -> None:
    """Each file is the sample's BCH record of the same name, byte for byte."""
    for path in paths:
        assert path.read_bytes() == (SAMPLE_RECORDS / path.relative_to(out)).read_bytes(), path.name


def test_backfill_reproduces_the_archives_bch_records_and_a_second_run_fetches_nothing(
    archive: Archive, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert _backfill(archive, out) == {"index": 1, "snapshots": 40}
    written = _records(out)
    assert len(written) == 40
    _assert_bch_sample(written, out)
    # Nothing new: the index is asked again, no snapshot; the run report says so.
    assert _backfill(archive, out) == {"index": 1, "snapshots": 0}
    assert len(list((out / "runs").glob("*.json"))) == 2
    last = _last_report(out)
    assert (last["new"], last["updated"], last["failed"], last["pages"]) == (0, 0, 0, 1)
    assert _records(out) == written
    with State.open(out) as state:
        assert state.check() == []
        # The force's listings were not read: its next crawl still reads its sitemaps.
        assert state.complete_through("bedfordshire") is None


def test_a_killed_backfill_resumes_to_the_same_files(archive: Archive, tmp_path: Path) -> None:
    out = tmp_path / "out"
    archive.pywb.reset()
    slow = _args(archive, out, 2015, 2021, "-s", "DOWNLOAD_DELAY=0.25")
    process = subprocess.Popen(slow, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while len(list(out.glob("news/*/*.md"))) < 8 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the back-fill ended before it could be killed"
    before = len(list(out.glob("news/*/*.md")))
    assert 8 <= before < 40
    with State.open(out) as state:
        recorded = len(state.known_links("bedfordshire"))
    _backfill(archive, out)
    # The rerun fetched the index and what the state did not have (a snapshot answered as
    # the first run was killed may still reach pywb's log now: the run report counts).
    rerun = _last_report(out)
    assert rerun["pages"] == 1 + 40 - recorded
    assert rerun["new"] + rerun["unchanged"] == 40 - recorded and rerun["failed"] == 0
    written = _records(out)
    assert len(written) == 40
    _assert_bch_sample(written, out)
    with State.open(out) as state:
        assert state.check() == []


def test_each_capture_is_read_by_the_parser_of_its_sites_era(archive: Archive, tmp_path: Path) -> None:
    """2015–2024: the BCH site's captures (to 2022) by the BCH parser, the SOH site's (from
    2022) by the SOH parser; the BCH address captured only in 2023 is not taken."""
    out = tmp_path / "out"
    assert _backfill(archive, out, 2015, 2024) == {"index": 2, "snapshots": 40 + SOH_RECORDS}
    assert len(_records(out)) == 40 + SOH_RECORDS
    _, equal, problems = compare_trees(archive.soh, out)
    assert problems == [] and equal == SOH_RECORDS
    bch = [p for p in _records(out) if read(p).url.startswith(BCH_HOST)]
    assert len(bch) == 40
    _assert_bch_sample(bch, out)


def _as_internet_archive(pywb: Pywb) -> bytes:
    """pywb's index of the BCH captures as the Internet Archive's CDX API gives it: one JSON
    array, the first row naming the fields, captures of that era as fetched then
    (``http://…:80``)."""
    query = "url=www.bedfordshire.police.uk/news-and-appeals/*&output=json"
    with urllib.request.urlopen(f"{pywb.archive}/cdx?{query}", timeout=30) as answer:
        captures = [json.loads(line) for line in answer.read().decode().splitlines() if line]
    fields = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
    as_fetched = {
        c["url"]: c["url"].replace("https://", "http://").replace(".uk/", ".uk:80/", 1) for c in captures
    }
    rows = [
        [c["urlkey"], c["timestamp"], as_fetched[c["url"]], c["mime"], c["status"], c["digest"], c["length"]]
        for c in captures
    ]
    return json.dumps([fields, *rows]).encode()


def test_an_internet_archive_index_is_read_too(archive: Archive, tmp_path: Path) -> None:
    """The Internet Archive's CDX answer (through --cdx, served here), snapshots from pywb."""
    out = tmp_path / "out"
    with Trap(_as_internet_archive(archive.pywb), "application/json") as index:
        archive.pywb.reset()
        args = _args(archive, out, 2015, 2021, "--cdx", f"{index.url}/cdx/search/cdx")
        done = subprocess.run(args, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
    assert len(index.requests) == 1
    asked = parse_qsl(urlsplit(index.requests[0]).query)
    assert ("url", "www.bedfordshire.police.uk/news-and-appeals/*") in asked and (
        "collapse",
        "urlkey",
    ) in asked
    assert archive.pywb.requests() == {"index": 0, "snapshots": 40}
    written = _records(out)
    assert len(written) == 40
    _assert_bch_sample(written, out)
