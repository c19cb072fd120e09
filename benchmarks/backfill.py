"""Benchmark 6: a back-fill from a real web archive, pywb on this machine serving a WARC of
replica pages of the BCH forces' gone site (tests/archives.py, as the tests use it).

- records/s: records written per second of the ``newscrawler backfill`` process's wall clock
  (start-up, index, snapshots, parse, write, state), one request at a time as it always asks
  an archive (no delay: the archive is on this machine);
- baseline: the same snapshots fetched one at a time by a bare HTTP client over one kept-alive
  connection, the archive's own pace; the ratio is what our pipeline leaves of it;
- requests per record, counted by pywb: index queries and snapshots of a first run, then of a
  second run into the same folder (only the index: nothing new);
- records byte-identical to the ones the pages were made from.
"""

from __future__ import annotations

import http.client
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from benchmarks import corpus
from benchmarks.common import ROOT, log
from benchmarks.crawl import read_run_report, run_process
from newscrawler.dates import parse_record_date
from newscrawler.record import Article, ArticleWriter
from tests.archives import PYWB_MISSING, Pywb, replica_pages, write_warc

#: Years of the BCH site (2015-2022) asked for: captures are dated inside them. Not 2022, which
#: the forces' SOH sites share: each force's one BCH site is asked, one index query.
FIRST, LAST = 2015, 2021


def _captured(article: Article) -> datetime:
    """When the archive captured the article: the day after it was published, inside the
    site's years."""
    shown = article.get("publish.date")
    day = parse_record_date(str(shown)) if shown else None
    when = datetime(day.year, day.month, day.day, 12) + timedelta(days=1) if day else datetime(FIRST, 6, 1)
    return min(max(when, datetime(FIRST, 1, 1)), datetime(LAST, 12, 31))


def _direct_pace(archive: str, snapshots: list[str]) -> float:
    """Snapshots per second fetched one at a time by http.client (loopback only)."""
    parts = urlsplit(archive)
    assert parts.hostname == "127.0.0.1", archive
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    start = time.perf_counter()
    try:
        for url in snapshots:
            conn.request("GET", quote(urlsplit(url).path, safe="/:_-.~%'()!*,;=+$&@"))
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"pywb answered {response.status} for {url}")
    finally:
        conn.close()
    seconds = time.perf_counter() - start
    return len(snapshots) / seconds if seconds else 0.0


def run(records: Sequence[corpus.Servable], n: int, workdir: Path | None = None) -> dict[str, Any]:
    """Back-fill ``n`` BCH articles (the records, then clones) from pywb, twice."""
    if PYWB_MISSING:
        return {"skipped": PYWB_MISSING}
    bch = [r for r in records if r.site.platform == "bch"]
    if not bch:
        return {"skipped": "no BCH record among the records"}
    own_dir = workdir is None
    workdir = (
        Path(tempfile.mkdtemp(prefix="newscrawler-backfill-")) if workdir is None else workdir / "backfill"
    )
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        articles = corpus.articles(bch, n)
        when = {a.url: _captured(a) for a in articles}
        pages = replica_pages(articles, when)
        warc = write_warc(workdir / "bch.warc.gz", pages)
        forces = sorted({r.force.slug for r in bch})
        log(f"backfill: {len(articles)} BCH articles of {', '.join(forces)} in a WARC, served by pywb")
        with Pywb(workdir / "pywb", [warc]) as pywb:
            out = workdir / "out"
            args = [sys.executable, "-m", "newscrawler", "backfill", *forces, "--archive", pywb.archive]
            args += ["--from", str(FIRST), "--to", str(LAST), "--data", str(out)]
            runs = []
            for name in ("first", "second"):
                pywb.reset()
                before = set(out.glob("runs/*.json"))
                code, seconds, rss = run_process(args, ROOT, workdir / f"{name}.stderr")
                counts = read_run_report(out, before)
                written = sum(c["new"] + c["updated"] + c["unchanged"] for c in counts.values())
                runs.append(
                    {
                        "returncode": code,
                        "seconds": seconds,
                        "peak_rss_mib": rss,
                        "records_written": written,
                        "new": sum(c["new"] for c in counts.values()),
                        "failed": sum(c["failed"] for c in counts.values()),
                        "requests": pywb.requests(),
                    }
                )
            snapshots = [f"{pywb.archive}/{when[p.url]:%Y%m%d%H%M%S}id_/{p.url}" for p in pages]
            direct = _direct_pace(pywb.archive, snapshots)
        first, second = runs
        # BCH records are in the record format already: each should come back byte for byte.
        writer = ArticleWriter(out)
        identical = sum(
            1
            for a in articles
            if (p := writer.path_for(a)).exists() and p.read_bytes() == a.render().encode()
        )
        requests = first["requests"]["index"] + first["requests"]["snapshots"]
        per_second = first["records_written"] / first["seconds"] if first["seconds"] else 0.0
        result = {
            "articles": len(articles),
            "real_articles": min(len(articles), len(bch)),
            "forces": forces,
            "first_run": first,
            "second_run": second,
            "byte_identical": identical,
            "records_per_second": per_second,
            "requests_per_record": requests / first["records_written"] if first["records_written"] else 0.0,
            "direct_snapshots_per_second": direct,
            "pace_ratio": per_second / direct if direct else 0.0,
        }
        log(
            f"backfill: {first['records_written']} records in {first['seconds']:.1f} s "
            f"({per_second:.1f}/s; pywb direct {direct:.1f}/s), {result['requests_per_record']:.3f} "
            f"requests per record; second run {second['requests']}"
        )
        return result
    finally:
        if own_dir:
            shutil.rmtree(workdir, ignore_errors=True)
