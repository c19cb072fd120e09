"""Incremental runs of the real ``newscrawler crawl`` against the replica (issue 5): an
unchanged site costs no article request; new and edited articles are exactly what is written;
a run killed with SIGKILL at random points is completed by the next one."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from newscrawler.record import Article, read
from newscrawler.replica import ReplicaServer
from newscrawler.replica.faults import Faults, Rule
from newscrawler.state import State
from tests.conftest import SAMPLE_RECORDS
from tests.crawling import crawl


def _kent() -> list[Article]:
    return [read(p) for p in sorted((SAMPLE_RECORDS / "news" / "Kent").glob("*.md"))]


def _soh(article: Article, day: date) -> Article:
    """A copy of a Kent record, published on ``day`` (SOH date form)."""
    meta = {**article.meta, "publish": {"date": f"10:00 {day:%d/%m/%Y}"}}
    return Article(meta=meta, body=article.body)


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.glob("news/*/*.md")}


def test_second_run_new_and_edited_articles(tmp_path: Path) -> None:
    today = date.today()
    records = _kent()
    # Two young articles (inside the 14-day revisit window), the rest as in the archive.
    young = [_soh(records[0], today - timedelta(days=2)), _soh(records[1], today - timedelta(days=3))]
    site = [*young, *records[2:]]
    faults = Faults()
    out = tmp_path / "out"
    with ReplicaServer(site, forces=["kent"], fault=faults) as server:
        faults.bind(server)
        crawl(["kent"], out, server.mirrors)
        first = _files(out)
        assert len(first) == len(site)

        faults.hits.clear()
        crawl(["kent"], out, server.mirrors)
        requests = [h.path for h in faults.hits]
        articles = [p for p in requests if "/news/kent/news" in p and "GetNewsRss" not in p]
        print(f"second run over an unchanged site: {len(requests)} requests: {requests}")
        # Only the two young articles are asked for again (no ETag on the replica: a full
        # fetch, found unchanged); feed and first listing page; no old article.
        assert len(articles) == 2 and len(requests) <= 4, requests
        assert _files(out) == first

        # Three new articles and two edits of the young ones.
        for i, extra in enumerate(records[2:5]):
            meta = {**extra.meta, "url": extra.url.rstrip("/") + f"-new{i}/"}
            meta["og"] = {**meta["og"], "url": meta["url"]}
            server.upsert(_soh(Article(meta=meta, body=extra.body + f"\n\nNew {i}."), today))
        for article in young:
            server.upsert(Article(meta=article.meta, body=article.body + "\n\nUpdate: charged."))
        done = crawl(["kent"], out, server.mirrors)
    after = _files(out)
    new = set(after) - set(first)
    changed = {n for n in first if after[n] != first[n]}
    print(done.stderr[-600:])
    assert len(new) == 3 and len(changed) == 2 and len(after) == len(first) + 3
    with State.open(out) as state:
        for article in young:
            versions = state.versions(read(next(out.glob(f"news/*/{_key(article)}.md"))).url)
            assert len(versions) == 1


def test_publication_time_kept_and_a_removed_article_flagged_never_deleted(tmp_path: Path) -> None:
    """The time the page shows travels to the state (the file keeps five keys); an archived
    article answering 410 on its revisit is flagged removed, its file and row kept."""
    today = date.today()
    records = _kent()
    young = [_soh(records[0], today - timedelta(days=2)), _soh(records[1], today - timedelta(days=3))]
    young += records[2:4]
    faults = Faults()
    out = tmp_path / "out"
    with ReplicaServer(young, forces=["kent"], fault=faults) as server:
        faults.bind(server)
        crawl(["kent"], out, server.mirrors)
        files = _files(out)
        with State.open(out) as state:
            urls = [read(p).url for p in sorted(out.glob("news/*/*.md"))]
            times = {url: state.known(url).published_time for url in urls}  # type: ignore[union-attr]
        gone = next(u for u in urls if _key_of(u) == _key(young[0]))
        assert times[gone] == "10:00"
        assert b"10:00" not in files[_key(young[0]) + ".md"]
        faults.rules.append(Rule.parse(f"status=410,path={urlsplit(gone).path}"))
        crawl(["kent"], out, server.mirrors)
    assert _files(out) == files
    with State.open(out) as state:
        known = state.known(gone)
        assert known is not None and known.written and known.removed is not None
        assert known.published_time == "10:00"
        assert [u for u in urls if state.known(u).removed] == [gone]  # type: ignore[union-attr]


def _key_of(url: str) -> str:
    from newscrawler.record import url_key

    return url_key(url)


def _key(article: Article) -> str:
    from newscrawler.record import url_key

    return url_key(article.url)


def test_sigkill_at_random_points_then_resume(tmp_path: Path) -> None:
    records = _kent()
    out = tmp_path / "out"
    reference = tmp_path / "reference"
    rng = random.Random(5)
    with ReplicaServer(records, forces=["kent"]) as server:
        crawl(["kent"], reference, server.mirrors)
        args = [sys.executable, "-m", "newscrawler", "crawl", "kent", "--data", str(out), "-q"]
        for origin, url in server.mirrors.items():
            args += ["--mirror", f"{origin}={url}"]
        # Slow the crawl down so the kills land part way.
        args += ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "DOWNLOAD_DELAY=0.05"]
        kills = 0
        for _ in range(4):
            proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.8, 3.0))
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                kills += 1
            proc.wait()
            # Whatever a killed run left is whole: every record file parses.
            for path in out.glob("news/*/*.md"):
                read(path)
        crawl(["kent"], out, server.mirrors)
    print(f"killed {kills} runs part way")
    assert kills >= 1
    assert _files(out) == _files(reference)
    assert not list(out.glob("news/*/.tmp-*"))
    with State.open(out) as state:
        assert state.check() == []


def test_pages_that_gave_no_record_wait_for_their_retry_time(tmp_path: Path) -> None:
    """An article page that cannot give a record (no date anywhere, as PLATFORMS.md says
    happens) is remembered: the next run neither fetches it again nor reads the listings to
    the end on its account; after NEWSCRAWLER_RETRY_NO_RECORD_DAYS it is fetched again,
    directly (its link is deep in the listings, which the run no longer reads)."""
    records = _kent()
    undated = Article(meta={k: v for k, v in records[0].meta.items() if k != "publish"}, body=records[0].body)
    site = [undated, *records[1:]]
    faults = Faults()
    out = tmp_path / "out"
    with ReplicaServer(site, forces=["kent"], fault=faults) as server:
        faults.bind(server)
        first = crawl(["kent"], out, server.mirrors, check=False)
        assert first.returncode == 0, first.stderr[-2000:]
        assert len(_files(out)) == len(site) - 1
        undated_path = urlsplit(undated.url).path
        assert any(h.path == undated_path for h in faults.hits)
        with State.open(out) as state:
            known = state.known(undated.url)
            assert known is not None and not known.written and known.no_record
            assert "could not extract publish.date" in (known.last_error or "")
            assert state.complete_through("kent") is not None

        faults.hits.clear()
        crawl(["kent"], out, server.mirrors)
        second = [h.path for h in faults.hits]
        print(f"second run: {len(second)} requests: {second}")
        assert undated_path not in second and len(second) <= 2, second

        faults.hits.clear()
        crawl(["kent"], out, server.mirrors, "-s", "NEWSCRAWLER_RETRY_NO_RECORD_DAYS=0")
        assert undated_path in [h.path for h in faults.hits]


def test_a_listing_that_is_not_there_hides_nothing(tmp_path: Path) -> None:
    """PSNI's platform reads two listings, the old one and the newsroom at ``/news``; the
    replica (the old site) has no ``/news``. That 404 is noted, not a failure: the run ends
    well, counts the listings as read to the end, and the next run costs two requests. A
    force none of whose listings or feeds is there fails, saying so."""
    records = [read(p) for p in sorted((SAMPLE_RECORDS / "news" / "Northern Ireland").glob("*.md"))]
    faults = Faults()
    out = tmp_path / "out"
    with ReplicaServer(records, forces=["psni"], fault=faults) as server:
        faults.bind(server)
        first = crawl(["psni"], out, server.mirrors)
        assert "/news" in [h.path for h in faults.hits] and len(_files(out)) == len(records)
        assert "FAILED" not in first.stderr
        with State.open(out) as state:
            assert state.complete_through("psni") is not None
        faults.hits.clear()
        crawl(["psni"], out, server.mirrors)
        second = [h.path for h in faults.hits]
        assert len(second) <= 2, second

        # Kent's site mirrored onto a path of the replica that serves nothing at all.
        nowhere = {"https://www.kent.police.uk": server.base_url + "/no-such-site"}
        done = crawl(["kent"], tmp_path / "kent", nowhere, check=False)
    assert done.returncode == 1
    assert "FAILED: no listing or feed is there" in done.stderr
