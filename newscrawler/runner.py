"""Running the spider from the command line: settings, the crawl, the per-force summary."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from newscrawler import settings as project_settings
from newscrawler.archive import Archive
from newscrawler.mirrors import Mirrors
from newscrawler.runs import failed_entirely
from newscrawler.spiders.police import PoliceSpider

COUNTS = ("pages", "new", "updated", "unchanged", "failed", "not_article", "duplicate", "missing")


class OutputError(ValueError):
    """An output folder that cannot be written."""


def check_writable(out: Path) -> None:
    """Fail before anything is fetched when ``out`` cannot take files."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write to output folder {out}: {exc.strerror or exc}") from None


def build_settings(
    out: str, mirrors: Mirrors, overrides: list[str], log_name: str = "crawl", archive: Archive | None = None
) -> Settings:
    """Project settings, then --out and --mirror, then ``-s NAME=VALUE`` overrides. A run
    whose every mirror is on this machine (the replica) drops politeness: there is no one
    to be polite to. A back-fill is polite by its spider's own settings (``settings.ARCHIVE``,
    also under ``scrapy crawl archive``), except to an archive on this machine: one request at
    a time still, without the delay (over the spider's settings; ``-s`` still wins)."""
    settings = Settings()
    settings.setmodule("newscrawler.settings", priority="project")
    if archive is not None and archive.is_local():
        local_archive = {**project_settings.FAST, **project_settings.ONE_AT_A_TIME}
        settings.setdict(local_archive, priority="cmdline")
    elif mirrors and mirrors.all_local():
        settings.setdict(project_settings.FAST, priority="project")
    settings.set("NEWSCRAWLER_OUT", out, priority="cmdline")
    merged = {**settings.getdict("NEWSCRAWLER_MIRRORS"), **mirrors.as_dict()}
    settings.set("NEWSCRAWLER_MIRRORS", merged, priority="cmdline")
    if out != "-":
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
        logs = Path(out, "logs")
        logs.mkdir(parents=True, exist_ok=True)
        settings.set("LOG_FILE", str(logs / f"{log_name}-{stamp}.log"), priority="cmdline")
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"-s takes NAME=VALUE, got {item!r}")
        settings.set(name.strip(), value, priority="cmdline")
    return settings


@dataclass
class ForceResult:
    slug: str
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None  # why the force could not start (no parser for its site)

    @property
    def failed_entirely(self) -> bool:
        return failed_entirely(self.counts) or self.error is not None


@dataclass
class CrawlOutcome:
    forces: list[ForceResult]
    finish_reason: str

    @property
    def ok(self) -> bool:
        """Every force read something, and the run was not stopped (full disk, timeout…)."""
        return self.finish_reason == "finished" and not any(r.failed_entirely for r in self.forces)


def run_crawl(
    settings: Settings, spider_class: type[PoliceSpider] = PoliceSpider, **spider_args: Any
) -> CrawlOutcome:
    """Run the police spider (or the archive one) once, in this process; per-force results
    and why it ended."""
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider_class)
    process.crawl(crawler, **spider_args)
    process.start()
    stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    spider = crawler.spider
    assert isinstance(spider, PoliceSpider)
    results = []
    for force in spider.forces:
        prefix = f"newscrawler/{force.slug}/"
        counts = {k: int(stats.get(prefix + k, 0)) for k in COUNTS}
        result = ForceResult(force.slug, counts)
        if stats.get(prefix + "unsupported") and not any(
            p.force.slug == force.slug for p in spider.platforms.values()
        ):
            result.error = "no parser yet for this force's platform"
        results.append(result)
    return CrawlOutcome(results, str(stats.get("finish_reason", "unknown")))
