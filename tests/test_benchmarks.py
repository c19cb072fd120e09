"""The benchmarks' code keeps working: ``python -m benchmarks --quick`` on tiny inputs (no
timing is asserted: the figures of a quick run mean nothing). trafilatura and py-spy are in
the ``bench`` extra; without them the baselines and the profile are reported as skipped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from newscrawler.record import Article

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # benchmarks/ is a folder of the repository, not installed
    sys.path.insert(0, str(ROOT))

from benchmarks.common import prf, shingles, tp_fp_fn  # noqa: E402
from benchmarks.corpus import clone  # noqa: E402
from benchmarks.crawl import parse_summary  # noqa: E402


def test_shingle_metric_matches_the_upstream_definition() -> None:
    assert shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles("a b") == {("a", "b"): 1}
    assert tp_fp_fn("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = tp_fp_fn("a b c d e f", "a b c d x")
    assert (tp, fp, fn) == (0.25, 0.25, 0.5)
    # Nothing predicted counts for recall only; nothing true for precision only.
    result = prf([("a b c d", "a b c d"), ("a b c d", "")])
    assert result.precision == 1.0 and result.recall == 0.5
    assert abs(result.f1 - 2 / 3) < 1e-9


def test_a_clone_is_the_same_article_at_another_address() -> None:
    article = Article.build(
        area="Kent",
        title="t",
        url="https://www.kent.police.uk/news/kent/news/2020/a-b/",
        description="d",
        published="1 Jan 2020",
        body="b",
    )
    copy = clone(article, 2)
    assert copy.url == "https://www.kent.police.uk/news/kent/news/2020/a-b-copy2/"
    assert copy.body == article.body and copy.title == article.title


def test_the_crawl_summary_is_read() -> None:
    stderr = (
        "newscrawler: crawling into x\n"
        "force  pages  new  updated  unchanged  failed  not_article  duplicate\n"
        "kent      12   10        0          1       0            0          0\n"
    )
    assert parse_summary(stderr)["kent"]["new"] == 10


def test_quick_run_writes_every_table(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())
    text = (tmp_path / "BENCHMARKS.md").read_text()
    headings = ("## 1. Extraction", "## 3. Crawl", "## 4. Memory", "## 5. Incremental")
    for heading in (*headings, "## 6. Markup variants", "## 7. Back-fill", "## Notes"):
        assert heading in text
    assert results["extraction"]["ours"]["accuracy"]["all_exact"] > 0.9
    crawl = results["crawl"]
    # Most articles are written (a platform whose parser fails on its replica pages is the
    # platform's business, reported in the tables, not the benchmark code's).
    assert crawl["large"]["articles"] == 60 and crawl["large"]["records_written"] >= 40
    assert crawl["small"]["articles"] == 30 and crawl["small"]["records_written"] >= 20
    assert crawl["large"]["peak_rss_mib"] > 0 and crawl["scrapy_bench"]["pages_per_second"] > 0
    assert sum(crawl["incremental"]["requests_per_force"].values()) > 0
    # Every sampled record on two held-out seeds, each outcome counted once.
    variants = results["variants"]["held_out_all"]
    assert variants["pages"] == 2 * results["variants"]["records"] > 0
    assert (
        variants["exact"] + variants["reported"] + variants["wrong"] + variants["guessed"]
        == variants["pages"]
    )
    # The back-fill from pywb (in the test extra): every article once, then only the index.
    backfill = results["backfill"]
    assert backfill["first_run"]["records_written"] == 20 and backfill["first_run"]["failed"] == 0
    assert backfill["first_run"]["requests"]["snapshots"] == 20 and backfill["byte_identical"] == 20
    assert backfill["second_run"]["requests"] == backfill["first_run"]["requests"] | {"snapshots": 0}
    if (ROOT.parent / "shared" / "extraction-benchmark").exists():
        assert "## 2. Generic fallback" in text
        assert "### Title and date on the same real pages" in text
        scored = results["fallback"]["title_and_date"]
        assert scored["title"]["pages"] > 0 and scored["date"]["pages"] > 0
        assert results["fallback"]["pages"] == 8
