"""Benchmarks 3-5 and the profile: whole crawls of a local replica, as a user runs them
(``python -m newscrawler crawl … --mirror ORIGIN=URL``, politeness off for loopback mirrors),
against ``scrapy bench`` run on the same machine in the same script.

- throughput: records written per second, wall clock of the crawl process, end to end
  (start-up, fetch, parse, write files, state);
- memory: the crawl process's peak RSS (``wait4``'s ``ru_maxrss``: the kernel's own high-water
  mark, no sampling);
- incremental: requests a second run over the unchanged replica makes, counted per force by
  the replica itself;
- profile: py-spy's samples of one crawl, summed by what the time went to.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import corpus
from benchmarks.common import ROOT, log
from newscrawler.record import Article

SUMMARY_COLUMNS = ("pages", "new", "updated", "unchanged", "failed", "not_article", "duplicate")


@dataclass
class CrawlRun:
    articles: int  # served by the replica
    forces: int
    seconds: float
    peak_rss_mib: float
    returncode: int
    counts: dict[str, Counter[str]] = field(default_factory=dict)  # per force, the summary table
    requests: Counter[str] = field(default_factory=Counter)  # per force, as the replica saw them
    stderr_tail: str = ""

    @property
    def written(self) -> int:
        return sum(c["new"] + c["updated"] + c["unchanged"] for c in self.counts.values())

    @property
    def records_per_second(self) -> float:
        return self.written / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        total: Counter[str] = Counter()
        for c in self.counts.values():
            total.update(c)
        return {
            "articles": self.articles,
            "forces": self.forces,
            "seconds": self.seconds,
            "records_written": self.written,
            "records_per_second": self.records_per_second,
            "requests": sum(self.requests.values()),
            "requests_per_second": sum(self.requests.values()) / self.seconds if self.seconds else 0.0,
            "peak_rss_mib": self.peak_rss_mib,
            "returncode": self.returncode,
            "summary": dict(total),
            "forces_failed_entirely": sorted(
                f
                for f, c in self.counts.items()
                if c["failed"] and not (c["new"] + c["updated"] + c["unchanged"])
            ),
        }


def parse_summary(stderr: str) -> dict[str, Counter[str]]:
    """The per-force table the crawl prints at the end."""
    counts: dict[str, Counter[str]] = {}
    lines = stderr.splitlines()
    for i, line in enumerate(lines):
        cols = line.split()
        if cols[:1] == ["force"] and tuple(cols[1:]) == SUMMARY_COLUMNS:
            for row in lines[i + 1 :]:
                cells = row.split()
                if len(cells) != len(SUMMARY_COLUMNS) + 1 or not all(c.isdigit() for c in cells[1:]):
                    break
                counts[cells[0]] = Counter(dict(zip(SUMMARY_COLUMNS, map(int, cells[1:]), strict=True)))
    return counts


_RUN_COUNTS = {"not_articles": "not_article"}


def read_run_report(out: Path, before: set[Path]) -> dict[str, Counter[str]]:
    """Per-force counts from the run report the crawl wrote (``<out>/runs/<start>.json``, the
    newest one not there before it started)."""
    new = sorted(set(out.glob("runs/*.json")) - before)
    if not new:
        return {}
    import json

    data = json.loads(new[-1].read_text(encoding="utf-8"))
    counts: dict[str, Counter[str]] = {}
    for force, values in data.get("forces", {}).items():
        counts[force] = Counter(
            {
                _RUN_COUNTS.get(k, k): int(v)
                for k, v in values.items()
                if isinstance(v, int | float) and k != "duration"
            }
        )
    return counts


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["NEWSCRAWLER_PROGRESS"] = "plain"
    return env


def _peak_rss_mib(pid: int) -> float | None:
    """The process's own high-water mark of resident memory (VmHWM: of its image since exec,
    unlike ``ru_maxrss``, which also counts the parent's memory a fork started with)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def run_process(args: list[str], cwd: Path | str, stderr_path: Path) -> tuple[int, float, float]:
    """Run a command; (exit code, wall seconds, peak RSS in MiB). The peak is the kernel's
    high-water mark, read every 0.1 s until the process ends (a high-water mark misses no
    spike; only growth in its last tenth of a second could be missed)."""
    start = time.perf_counter()
    peak = 0.0
    with open(stderr_path, "w") as err:
        proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env=_env())
        while proc.poll() is None:
            value = _peak_rss_mib(proc.pid)
            if value is not None:
                peak = max(peak, value)
            time.sleep(0.1)
    seconds = time.perf_counter() - start
    return proc.returncode, seconds, peak


def crawl(
    items: Sequence[Article],
    workdir: Path,
    name: str,
    *,
    out: Path | None = None,
    profile: Path | None = None,
) -> CrawlRun:
    """Serve ``items`` on a replica and crawl every force it serves into ``out`` (a new folder
    under ``workdir`` unless given: a second run passes the first run's)."""
    counter = corpus.RequestCounter()
    server = corpus.serve(items, counter)
    forces = corpus.forces_served(server)
    host_force = {s.mirror.rstrip("/").rsplit("/", 1)[1].lower(): s.force for s in server.sites}
    out = out or workdir / f"out-{name}"
    args = [
        sys.executable,
        "-m",
        "newscrawler",
        "crawl",
        *forces,
        "--data",
        str(out),
        *corpus.mirror_args(server),
    ]
    if profile is not None:
        spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
        assert spy is not None
        args = [spy, "record", "--rate", "100", "--format", "raw", "--output", str(profile), "--", *args]
    n = sum(s.articles for s in server.sites)
    log(f"crawl {name}: {n} articles of {len(forces)} forces")
    before = set(out.glob("runs/*.json"))
    with server:
        code, seconds, rss = run_process(args, ROOT, workdir / f"{name}.stderr")
    stderr = (workdir / f"{name}.stderr").read_text(errors="replace")
    counts = read_run_report(out, before) or parse_summary(stderr)
    requests: Counter[str] = Counter()
    for host, count in counter.by_host.items():
        requests[host_force.get(host, host)] += count
    run = CrawlRun(n, len(forces), seconds, rss, code, counts, requests, stderr[-3000:])
    log(
        f"crawl {name}: {run.written} records in {seconds:.1f} s ({run.records_per_second:.1f}/s), "
        f"{sum(requests.values())} requests, peak RSS {rss:.0f} MiB, exit {code}"
    )
    return run


_STAT = re.compile(r"'(response_received_count|elapsed_time_seconds)': ([\d.]+)")
_LOGSTATS = re.compile(r"Crawled (\d+) pages \(at (\d+) pages/min\)")


def scrapy_bench(workdir: Path, seconds: int) -> dict[str, Any]:
    """``scrapy bench`` (outside the project, so Scrapy's defaults apply): its pages per
    second, from its final stats (responses / elapsed time)."""
    cwd = workdir / "scrapy-bench"
    cwd.mkdir(exist_ok=True)
    log(f"scrapy bench: {seconds} s")
    args = [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"]
    stderr_path = workdir / f"scrapy-bench-{time.time_ns()}.stderr"
    code, _, rss = run_process(args, cwd, stderr_path)
    text = stderr_path.read_text(errors="replace")
    stats = {k: float(v) for k, v in _STAT.findall(text)}
    rates = [int(per_min) for _, per_min in _LOGSTATS.findall(text)][1:]  # the first is at 0 s
    pages = stats.get("response_received_count", 0.0)
    elapsed = stats.get("elapsed_time_seconds", 0.0)
    result = {
        "pages": int(pages),
        "elapsed_seconds": elapsed,
        "pages_per_second": pages / elapsed if elapsed else 0.0,
        "logstats_pages_per_minute": rates,
        "peak_rss_mib": rss,
        "returncode": code,
    }
    log(f"scrapy bench: {result['pages_per_second']:.1f} pages/s")
    return result


# ---- the profile ------------------------------------------------------------------------------

#: What a sample's time went to: the first rule whose function appears in its stack.
CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("start-up (imports, settings, registry)", ("_find_and_load", "build_parser", "CrawlerProcess.__init__")),
    ("write: record files (temp file, fsync, rename)", ("atomic_write", "ArticleWriter.write")),
    ("write: state database (sqlite commits)", ("State.", "StatePipeline")),
    ("parse: HTML → Markdown (html2text)", ("html_to_markdown",)),
    ("parse: boilerplate removal / main text", ("clean_html", "main_content")),
    ("parse: dates", ("parse_date", "find_date", "strip_date_blocks", "is_date_line")),
    ("parse: selectors and the rest of extract/normalise", ("Platform.parse", "Platform.extract")),
    (
        "discovery: listings, feeds, sitemaps",
        ("parse_listing", "parse_feed", "parse_sitemap", "parse_robots"),
    ),
    ("item: ArticleItem ↔ Article, dedupe", ("from_article", "to_article", "DedupePipeline")),
    (
        "HTTP: download, headers, decompression",
        (
            "HTTP11DownloadHandler",
            "_cb_bodyready",
            "HTTPConnectionPool",
            "Downloader",
            "DownloaderMiddlewareManager",
        ),
    ),
    ("Scrapy/Twisted engine and other", ("",)),
)


def summarise_profile(path: Path) -> dict[str, Any]:
    """Shares of py-spy's samples (main thread and others alike, idle excluded) by category,
    and the functions with the most samples of their own."""
    by_category: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        names = [f.split(" (")[0] for f in frames]
        if any(name in ("Condition.wait", "Queue.get", "select", "epoll") for name in names[-2:]):
            continue  # idle worker threads
        total += n
        own[frames[-1].split(":")[0] + ")" if "(" in frames[-1] else frames[-1]] += n
        for label, needles in CATEGORIES:
            if any(needle in name for name in names for needle in needles):
                by_category[label] += n
                break
    return {
        "samples": total,
        "categories": {k: v / total for k, v in by_category.most_common()} if total else {},
        "top_functions": [(k, v / total) for k, v in own.most_common(15)] if total else [],
    }


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


# ---- all of it --------------------------------------------------------------------------------


def run(
    records: Sequence[corpus.Servable],
    *,
    large: int,
    small: int,
    profile_articles: int,
    bench_seconds: int,
    workdir: Path | None = None,
    keep: bool = False,
) -> dict[str, Any]:
    own_dir = workdir is None
    workdir = workdir or Path(tempfile.mkdtemp(prefix="newscrawler-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"workdir": str(workdir)}
    try:
        benches = [scrapy_bench(workdir, bench_seconds)]

        # 3 and 4: the large crawl (every record the replica can serve, then clones up to
        # `large`): throughput, and peak RSS of the larger crawl.
        big = crawl(corpus.articles(records, large), workdir, "large")
        benches.append(scrapy_bench(workdir, bench_seconds))
        bench_rate = sum(b["pages_per_second"] for b in benches) / len(benches)
        result["scrapy_bench"] = {"runs": benches, "pages_per_second": bench_rate}
        result["large"] = big.as_dict()
        result["large"]["real_articles"] = min(big.articles, len(records))
        result["throughput_ratio"] = big.records_per_second / bench_rate if bench_rate else 0.0

        # 4 and 5: the small crawl over every force, then a second run over it unchanged.
        small_items = corpus.articles(records, small)
        first = crawl(small_items, workdir, "small")
        second = crawl(small_items, workdir, "small-again", out=workdir / "out-small")
        result["small"] = first.as_dict()
        result["memory_ratio"] = big.peak_rss_mib / first.peak_rss_mib if first.peak_rss_mib else 0.0
        # Forces whose every article was written in the first run; the others have failed
        # articles, which a second run tries again by design (they are not in the archive).
        clean = sorted(f for f, c in first.counts.items() if c["failed"] == 0 and c["new"] > 0)
        result["incremental"] = {
            "first_run": first.as_dict(),
            "second_run": second.as_dict(),
            "requests_per_force": dict(sorted(second.requests.items())),
            "first_run_requests_per_force": dict(sorted(first.requests.items())),
            "first_run_written_per_force": {
                f: c["new"] + c["updated"] + c["unchanged"] for f, c in first.counts.items()
            },
            "first_run_failed_per_force": {f: c["failed"] for f, c in first.counts.items()},
            "max_per_force": max(second.requests.values(), default=0),
            "mean_per_force": sum(second.requests.values()) / len(second.requests) if second.requests else 0,
            "forces_all_written": len(clean),
            "max_per_force_all_written": max((second.requests.get(f, 0) for f in clean), default=0),
            "second_run_written": dict(sum((c for c in second.counts.values()), Counter())),
        }

        # The profile: one more crawl, under py-spy.
        spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
        if spy and profile_articles:
            raw = workdir / "profile.txt"
            prof = crawl(corpus.articles(records, profile_articles), workdir, "profile", profile=raw)
            if raw.exists():
                result["profile"] = {**summarise_profile(raw), "crawl": prof.as_dict()}
                if keep:
                    shutil.copy(raw, workdir / "profile-kept.txt")
        else:
            result["profile"] = {"skipped": "py-spy is not installed (pip install -e '.[bench]')"}

        benches.append(scrapy_bench(workdir, bench_seconds))
        result["scrapy_bench"] = {
            "runs": benches,
            "pages_per_second": _median([b["pages_per_second"] for b in benches]),
        }
        result["throughput_ratio"] = big.records_per_second / result["scrapy_bench"]["pages_per_second"]
    finally:
        if own_dir and not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return result
