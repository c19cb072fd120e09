"""Import an archive in the public police-news layout as records in the five-key format.

The public archive (``news/<Area>/<sha1 of url>.md``, as a folder or a ``.tar.xz`` read as a
stream) holds Bedfordshire, Cambridgeshire and Hertfordshire in our format already; the other
areas carry whatever meta their sites had and dates as the pages showed them. Records already
in the format pass through untouched; the others go through the same normalisation the
crawler applies (their force's platform ``normalise``), so an imported archive and a crawled
one are the same kind of data. What cannot be normalised is reported, never written.
"""

from __future__ import annotations

import csv
import os
import tarfile
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from newscrawler.dates import parse_record_date
from newscrawler.forces import Force, Site, registry
from newscrawler.platforms import UnsupportedPlatformError, platform_for
from newscrawler.platforms.base import Extraction, ExtractionError, Platform, clean_text
from newscrawler.record import NEWS_DIR, Article, ArticleWriter, RecordError, iter_files, parse
from newscrawler.runs import RunLock
from newscrawler.state import STATE_FILE, State
from newscrawler.validate import canonical_url

# Where the raw meta of the public archive keeps each field, best first.
SOCIAL_TITLE_KEYS = ("og.title", "twitter.title")
DATE_KEYS = ("publish.date", "article.published.time")
DESCRIPTION_KEYS = ("og.description", "description", "twitter.description")
TARGET_KEYS = {"area": None, "og": {"description"}, "publish": {"date"}, "title": None, "url": None}


class ImportSourceError(ValueError):
    """A source that is neither a folder holding ``news/`` nor a tar archive."""


@dataclass
class AreaCounts:
    """What became of one area's records."""

    passed: int = 0  # already in the format: written byte for byte
    normalised: int = 0  # raw meta: normalised by the force's platform
    skipped: int = 0  # not written (see the skipped list)

    @property
    def total(self) -> int:
        return self.passed + self.normalised + self.skipped


_COUNTS = ("passed", "normalised", "skipped")


@dataclass
class ImportReport:
    """Counts per area, the reasons records were not taken, and where they are listed."""

    skipped_list: Path
    areas: dict[str, AreaCounts] = field(default_factory=dict)
    reasons: Counter[str] = field(default_factory=Counter)
    #: Records written under another name than the archive's: its name was not the sha1 of
    #: the url, or its folder not the area (the record format requires both).
    renamed: int = 0

    def area(self, name: str) -> AreaCounts:
        return self.areas.setdefault(name, AreaCounts())

    @property
    def overall(self) -> AreaCounts:
        return AreaCounts(*(sum(getattr(c, f) for c in self.areas.values()) for f in _COUNTS))

    @property
    def written(self) -> int:
        return self.overall.passed + self.overall.normalised

    def table(self) -> str:
        """Per area: records, passed through, normalised, not taken, share taken."""
        rows = [("area", "records", "passed", "normalised", "not taken", "taken")]
        for name, c in [*sorted(self.areas.items()), ("all", self.overall)]:
            share = f"{100 * (c.total - c.skipped) / c.total:.1f}%" if c.total else "-"
            rows.append((name, str(c.total), str(c.passed), str(c.normalised), str(c.skipped), share))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        return "\n".join(
            "  ".join([r[0].ljust(widths[0]), *(v.rjust(w) for v, w in zip(r[1:], widths[1:], strict=True))])
            for r in rows
        )


def iter_sources(source: str | os.PathLike[str]) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every record file: a folder holding ``news/``, or a tar archive read
    as a stream (a ``.tar.xz`` is never unpacked to disk)."""
    source = Path(source)
    if source.is_dir():
        if not (source / NEWS_DIR).is_dir():
            raise ImportSourceError(f"{source} holds no {NEWS_DIR}/ folder")
        for path in iter_files(source):
            yield path.relative_to(source).as_posix(), path.read_bytes()
        return
    if not tarfile.is_tarfile(source):
        raise ImportSourceError(f"{source} is neither a folder nor a tar archive")
    with tarfile.open(source, "r|*") as tar:
        for member in tar:
            parts = PurePosixPath(member.name).parts
            if member.isfile() and len(parts) >= 3 and parts[-3] == NEWS_DIR and parts[-1].endswith(".md"):
                fh = tar.extractfile(member)
                if fh is not None:
                    yield "/".join(parts[-3:]), fh.read()


def _area_of(name: str) -> str:
    """The area folder a source file sits in (``news/<area>/<file>``)."""
    return PurePosixPath(name).parts[-2]


def _value(article: Article, keys: tuple[str, ...]) -> str | None:
    """The first non-empty value among dotted keys, as text (YAML may give numbers)."""
    for key in keys:
        value = article.get(key)
        if value is not None and not isinstance(value, dict) and str(value).strip():
            return str(value)
    return None


def is_target_format(meta: dict[str, Any]) -> bool:
    """Exactly the five keys, all text, the date in the record's own form: such a record is
    already what the crawler writes and passes through unchanged."""
    if set(meta) != set(TARGET_KEYS):
        return False
    for key, inner in TARGET_KEYS.items():
        value = meta[key]
        if inner is None:
            if not isinstance(value, str):
                return False
        elif not (
            isinstance(value, dict)
            and set(value) == inner
            and all(isinstance(v, str) for v in value.values())
        ):
            return False
    return parse_record_date(meta["publish"]["date"]) is not None


def headline(article: Article) -> str | None:
    """The page's ``<title>`` (``normalise`` takes its site suffix off), else og:title; and
    og:title where the ``<title>`` is that headline cut short ("…continues in Epping... -
    Metropolitan Police") or twice over (some Cumbria pages)."""
    page, social = _value(article, ("title",)), _value(article, SOCIAL_TITLE_KEYS)
    if page and social:
        kept, cut, _ = clean_text(page).partition("...")
        whole = clean_text(social)
        if (cut and whole.startswith(kept.rstrip())) or clean_text(page) == f"{whole} {whole}":
            return social
    return page or social


def extraction(article: Article) -> Extraction:
    """What a parser would have found on the page, from an archive record's raw meta.

    The date is the one the page showed (``publish.date``), else ``article:published_time``,
    else Northumbria's day/month badge (``day``, ``month``: dated by the URL's year folder);
    a date line at the top or foot of the body is found there by ``normalise``. Two sources
    stay unused on purpose: ``incident.day``/``month`` (the incident's date, not the
    article's), and the platform's date form searched anywhere in the text: on this archive
    it dates only records whose date block ``normalise`` then leaves in the body.
    """
    date_text = _value(article, DATE_KEYS)
    if date_text is None and article.get("day") and article.get("month"):
        date_text = f"{article.get('day')} {article.get('month')}"
    return Extraction(
        url=article.url,
        title=headline(article),
        date_text=date_text,
        description=_value(article, DESCRIPTION_KEYS),
        body=article.body,
    )


def locate(article: Article) -> tuple[Force, Site] | None:
    """The force and site of a record: by its url, else by its area (a shared host such as
    www.gov.uk names no force in most of its article addresses)."""
    found = registry().for_url(article.url)
    if found is not None:
        return found
    force = registry().by_area(article.area)
    site = force.site_for_url(article.url) if force else None
    return (force, site) if force and site else None


@cache
def _platform(force: Force, site: Site) -> Platform:
    """The site's platform, or the shared base normalisation where it has no module yet."""
    try:
        return platform_for(force, site)
    except UnsupportedPlatformError:
        return Platform(force, site)


def _rank(url: str) -> tuple[int, str]:
    """Which of two addresses of one article to keep: the shortest (no fragment, tracking
    parameters or empty query), then the first in sort order, whatever the archive's order."""
    return len(url), url


def _winners(source: str | os.PathLike[str]) -> dict[str, tuple[tuple[int, str], str]]:
    """canonical url -> (rank, name) of the one source file to take for that article."""
    best: dict[str, tuple[tuple[int, str], str]] = {}
    for name, data in iter_sources(source):
        try:
            url = parse(data.decode("utf-8")).url
        except (UnicodeDecodeError, RecordError):
            continue  # reported by the second pass
        if url:
            key, candidate = canonical_url(url), (_rank(url), name)
            if key not in best or candidate < best[key]:
                best[key] = candidate
    return best


class _Importer:
    """One import run: decides per source file, writes, counts, lists what it skipped."""

    def __init__(self, out: Path, report: ImportReport, listing: Any, state: State | None) -> None:
        self.writer = ArticleWriter(out)
        self.report = report
        self.listing = listing
        self.state = state

    def skip(self, name: str, url: str, reason: str, detail: str = "") -> None:
        self.report.area(_area_of(name)).skipped += 1
        self.report.reasons[reason] += 1
        self.listing.writerow((name, url, f"{reason}: {detail}" if detail else reason))

    def take(self, name: str, data: bytes, winners: dict[str, tuple[tuple[int, str], str]]) -> None:
        try:
            article = parse(data.decode("utf-8"))
        except (UnicodeDecodeError, RecordError) as exc:
            self.skip(name, "", "does not parse", str(exc))
            return
        if not article.url:
            self.skip(name, "", "no url")
            return
        _, kept = winners.get(canonical_url(article.url), (_rank(article.url), name))
        if kept != name:
            self.skip(name, article.url, "duplicate", f"the same article as {kept}")
            return
        located = locate(article)
        if located is None:
            self.skip(name, article.url, "no force in the registry for this address or area")
            return
        self.write(name, article, *located)

    def write(self, name: str, article: Article, force: Force, site: Site) -> None:
        passed = is_target_format(article.meta)
        try:
            if not passed:
                article = _platform(force, site).normalise(extraction(article))
            if self.state is not None:
                path, _ = self.state.save(self.writer, article, force=force.slug)
            else:
                path, _ = self.writer.write(article)
        except ExtractionError as exc:
            self.skip(name, article.url, f"could not normalise: no {', '.join(exc.missing)}")
            return
        except RecordError as exc:
            self.skip(name, article.url, "cannot be written", str(exc))
            return
        self.report.renamed += int(path.relative_to(self.writer.out).as_posix() != name)
        counts = self.report.area(_area_of(name))
        if passed:
            counts.passed += 1
        else:
            counts.normalised += 1


def import_archive(
    source: str | os.PathLike[str], out: str | os.PathLike[str], skipped_list: str | os.PathLike[str]
) -> ImportReport:
    """Write every record of ``source`` under ``out`` (atomically; into the state as well when
    ``out`` has one) and list the ones not taken, with why, in ``skipped_list`` (TSV)."""
    out = Path(out)
    if Path(source).resolve() == out.resolve():
        raise ImportSourceError(f"{source} is the archive itself: import into another folder")
    report = ImportReport(skipped_list=Path(skipped_list))
    winners = _winners(source)
    report.skipped_list.parent.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        stack.enter_context(RunLock(out))
        state = stack.enter_context(State.open(out, create=False)) if (out / STATE_FILE).exists() else None
        fh = stack.enter_context(open(report.skipped_list, "w", encoding="utf-8", newline=""))
        listing = csv.writer(fh, delimiter="\t", lineterminator="\n")
        listing.writerow(("file", "url", "reason"))
        importer = _Importer(out, report, listing, state)
        for name, data in iter_sources(source):
            importer.take(name, data, winners)
    return report
