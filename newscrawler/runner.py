"""Running the spider from the command line: settings, the crawl, the per-force summary."""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import BaseSettings, Settings

from newscrawler import settings as project_settings
from newscrawler.archive import Archive
from newscrawler.mirrors import Mirrors
from newscrawler.outputguard import RECORD_ERROR
from newscrawler.runs import failed_entirely, not_started, why_not_started
from newscrawler.spiders.police import PoliceSpider

COUNTS = (
    "pages",
    "new",
    "updated",
    "unchanged",
    "failed",
    "not_article",
    "duplicate",
    "missing",
    RECORD_ERROR,
)


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
    for name, value in parse_overrides(overrides, settings).items():
        settings.set(name, value, priority="cmdline")
    return settings


def parse_overrides(overrides: list[str], defaults: Settings | None = None) -> dict[str, str]:
    """``-s NAME=VALUE`` strings as a mapping, each value checked against the kind of its
    setting's default (a number, yes/no, a JSON object), so that ``DOWNLOAD_DELAY=abc`` is a
    clear ValueError now rather than a traceback from inside the crawl."""
    if defaults is None:
        defaults = Settings()
        defaults.setmodule("newscrawler.settings", priority="project")
    parsed = {}
    for item in overrides:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ValueError(f"-s takes NAME=VALUE, got {item!r}")
        default = defaults.get(name)
        for kind, wanted, check in _KINDS:
            if isinstance(default, kind):
                try:
                    check(Settings({name: value}), name)
                except (TypeError, ValueError):
                    raise ValueError(f"-s {item}: {name} takes {wanted}") from None
                break
        parsed[name] = value
    return parsed


#: What a setting's default says about the values it takes, in the order to ask (a bool is an int).
_KINDS: tuple[tuple[type | tuple[type, ...], str, Any], ...] = (
    (bool, "True or False (1 or 0)", Settings.getbool),
    ((int, float), "a number, e.g. 2 or 0.5", Settings.getfloat),
    ((dict, BaseSettings), 'a JSON object, e.g. {"name": 1}', Settings.getdict),
)


@dataclass
class ForceResult:
    slug: str
    counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None  # why the force could not start (runs.why_not_started)

    @property
    def failed_entirely(self) -> bool:
        return failed_entirely(self.counts) or self.error is not None


@dataclass
class CrawlOutcome:
    forces: list[ForceResult]
    finish_reason: str

    @property
    def unsaved(self) -> int:
        """Records read but not saved (a pipeline error): data lost, whatever else went well."""
        return sum(r.counts.get(RECORD_ERROR, 0) for r in self.forces)

    @property
    def ok(self) -> bool:
        """Every force read something, every record read was saved, and the run was not
        stopped (full disk, timeout…)."""
        return (
            self.finish_reason == "finished"
            and not self.unsaved
            and not any(r.failed_entirely for r in self.forces)
        )


def run_crawl(
    settings: Settings, spider_class: type[PoliceSpider] = PoliceSpider, **spider_args: Any
) -> CrawlOutcome:
    """Run the police spider (or the archive one) once, in this process; per-force results
    and why it ended."""
    # The log file may be on the disk that just filled: a handler that cannot write must not
    # print a traceback per message on stderr (OutputGuard says once what happened).
    logging.raiseExceptions = False
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider_class)
    process.crawl(crawler, **spider_args)
    process.start()
    stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    spider = crawler.spider
    assert isinstance(spider, PoliceSpider)
    results = []
    unstarted = not_started(spider)
    for force in spider.forces:
        prefix = f"newscrawler/{force.slug}/"
        counts = {k: int(stats.get(prefix + k, 0)) for k in COUNTS}
        result = ForceResult(force.slug, counts)
        if force.slug in unstarted:
            result.error = why_not_started(bool(stats.get(prefix + "unsupported")))
        results.append(result)
    return CrawlOutcome(results, str(stats.get("finish_reason", "unknown")))
