"""The archive report: one self-contained HTML page about what the crawls have collected.

Researchers want to look at an archive, not read logs. This reads an output folder only (the
record files, the run reports in ``runs/``, the state) and writes one HTML file with inline CSS
and charts drawn here in Python as inline SVG, so it opens offline, from a mail or years later.
Its Content-Security-Policy forbids the page to load anything at all.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from newscrawler import __version__
from newscrawler.dates import format_date, parse_date
from newscrawler.forces import UnknownForceError, registry
from newscrawler.platforms.base import is_date_line
from newscrawler.record import NEWS_DIR, Article, RecordError, iter_files, read
from newscrawler.runs import RUNS_DIR
from newscrawler.state import STATE_FILE, State, StateError

#: Days of records whose words are counted, ending at the newest record (or today).
WORDS_WINDOW_DAYS = 30
TOP_WORDS = 30
#: Top words only from a window of at least this many records: a handful of articles says
#: little about what the forces wrote about, and a word of one article may point at a person.
MIN_WORDS_RECORDS = 20
#: ... and only words found in at least this many of those records.
MIN_WORD_RECORDS = 3

# Common English words, and words nearly every police article uses ("officers", "anyone with
# information … quoting reference …"): without them the top words say nothing about the news.
_STOP_WORDS = """
    a about above after again against all also am an and any are around as at away back be
    because been before being below between both but by can could did do does doing done down
    during each even few for from further get got had has have having he her here hers herself
    him himself his how however i if in into is it its itself just last like made make many may
    me might more most much must my myself near need new no nor not now of off on once one only
    or other our ours ourselves out over own part said same say says she should since so some
    still such than that the their theirs them themselves then there these they this those
    through to too two under until up upon us very via was we well were what when where which
    while who whom why will with within without would yet you your yours yourself yourselves
    year years old day days time today yesterday week weeks month months morning evening night
    january february march april june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    three four five six seven eight nine ten first second following whilst way come came taken
    police officers officer force constabulary asked ask anyone information contact call quoting
    quote reference number online please incident report reported enquiries inquiries appeal
    appealing witnesses witness www http https com org gov uk
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_BLOCKS = re.compile(r"\n\n+")

Month = tuple[int, int]

#: How a crawl of a force ended (a run's finish reason), in words.
_OUTCOMES = {
    "finished": "completed",
    "failed": "failed",
    "shutdown": "stopped before the end",
    "unfinished": "did not finish (killed, or still running)",
    "closespider_timeout": "stopped at its time limit",
    "output_unwritable": "stopped: the output folder could not be written",
}
_URL = re.compile(r"\bhttps?://\S+")
_HOST = re.compile(r"\b(?:\d{1,3}(?:\.\d{1,3}){3}|(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})(?::\d+)?\b\.?")


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 record``, ``2 records``, ``1,204 records``."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def outcome(reason: str) -> str:
    """A crawl's finish reason in words."""
    return _OUTCOMES.get(reason, f"stopped ({reason.replace('_', ' ')})")


def failure_reason(error: str) -> str:
    """An error as the reason many pages share: without the page's address or its site's."""
    text = _HOST.sub("the site", _URL.sub("", error))
    text = re.sub(r"^the site: ", "", " ".join(text.split()))
    return text.strip(" :,") or "unknown error"


class ReportError(ValueError):
    """An output folder a report cannot be made of."""


def record_date(article: Article) -> date | None:
    """When a record was published: from its meta (``publish.date``, then
    ``article.published.time``), else from a date line at the top or foot of its body, where
    sites without date meta show it. Dates inside sentences are not taken: "found on 14 January
    1996" is not when the article was published."""
    for key in ("publish.date", "article.published.time"):
        value = article.get(key)
        found = parse_date(str(value), article.url) if value else None
        if found:
            return found
    blocks = _BLOCKS.split(article.body)
    for block in [*blocks[:5], blocks[-1]]:
        if is_date_line(block, article.url):
            return parse_date(block, article.url)
    return None


def words(text: str) -> set[str]:
    """The distinct words of a text worth counting: three letters or more, no stop-words, and
    only as written in lower case, so that words a text only capitalises (people's and places'
    names, initials, acronyms) are left out: the top words show topics, not people. Markdown
    marks and numbers fall away."""
    found = set()
    for word in _WORD.findall(text):
        if not word.islower():
            continue
        word = word.replace("’", "'").removesuffix("'s")
        if len(word) >= 3 and word not in STOP_WORDS:
            found.add(word)
    return found


def _month(value: date) -> Month:
    return value.year, value.month


def _next_month(month: Month) -> Month:
    year, m = month
    return (year + 1, 1) if m == 12 else (year, m + 1)


def month_range(first: Month, last: Month) -> Iterator[Month]:
    """Every month from ``first`` to ``last``, both included."""
    month = first
    while month <= last:
        yield month
        month = _next_month(month)


def month_label(month: Month) -> str:
    return date(month[0], month[1], 1).strftime("%b %Y")


@dataclass(frozen=True)
class RunStatus:
    """How one force's part of one run ended."""

    started: str
    reason: str  # finished, failed, shutdown, a closespider reason, or unfinished (killed)
    fallback: int | None  # pages whose selectors fell back, when the run report records it


@dataclass
class ForceStats:
    """What the output folder holds about one force (one area folder)."""

    area: str
    slug: str | None = None
    records: int = 0
    undated: int = 0
    unreadable: int = 0
    months: Counter[Month] = field(default_factory=Counter)
    newest: date | None = None
    newest_title: str = ""
    newest_url: str = ""
    last_run: RunStatus | None = None
    last_success: str | None = None
    failing: int | None = None  # pages whose last try failed, from the state

    def add(self, article: Article, published: date | None) -> None:
        self.records += 1
        if published is None:
            self.undated += 1
            return
        self.months[_month(published)] += 1
        if self.newest is None or published > self.newest:
            self.newest, self.newest_title, self.newest_url = published, article.title, article.url

    @property
    def span(self) -> tuple[Month, Month] | None:
        """The first and last month with records."""
        return (min(self.months), max(self.months)) if self.months else None

    def gaps(self) -> list[tuple[Month, Month]]:
        """Runs of months with no record inside the span: a site down, a listing not crawled."""
        if self.span is None:
            return []
        found: list[tuple[Month, Month]] = []
        for month in month_range(*self.span):
            if self.months[month]:
                continue
            if found and _next_month(found[-1][1]) == month:
                found[-1] = (found[-1][0], month)
            else:
                found.append((month, month))
        return found


@dataclass(frozen=True)
class FailureGroup:
    """Pages whose last try failed for one reason: how many, and of which forces."""

    reason: str
    pages: int
    forces: tuple[tuple[str, int], ...]  # area, pages; most first


@dataclass
class Report:
    """Everything the page shows, gathered from one output folder."""

    data_dir: Path
    generated: datetime
    forces: list[ForceStats]
    runs: int
    fallback_recorded: bool
    notes: list[str]
    top_words: list[tuple[str, int]]
    words_window: tuple[date, date] | None
    words_records: int
    failures: list[FailureGroup] = field(default_factory=list)

    @property
    def records(self) -> int:
        return sum(f.records for f in self.forces)

    @property
    def months(self) -> Counter[Month]:
        """Records per month, all forces together."""
        total: Counter[Month] = Counter()
        for force in self.forces:
            total.update(force.months)
        return total


def _slug_of(area: str) -> str | None:
    force = registry().by_area(area)
    return force.slug if force else None


def _area_of(slug: str) -> str:
    try:
        return registry().get(slug).area
    except UnknownForceError:
        return slug


def load_runs(data_dir: Path, notes: list[str]) -> list[dict[str, Any]]:
    """The run reports (``runs/*.json``), oldest first; unreadable ones are noted (in one
    line), not fatal."""
    runs = []
    skipped = []
    for path in sorted(Path(data_dir, RUNS_DIR).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("forces"), dict):
                raise ValueError("no forces in it")
        except (OSError, ValueError):
            skipped.append(path.name)
            continue
        runs.append(data)
    if skipped:
        notes.append(
            f"{plural(len(skipped), 'crawl report')} in {RUNS_DIR}/ could not be read and "
            f"{'was' if len(skipped) == 1 else 'were'} left out: {', '.join(skipped)}"
        )
    runs.sort(key=lambda r: (str(r.get("started") or ""), str(r.get("finished") or "")))
    return runs


def _apply_runs(by_area: dict[str, ForceStats], runs: list[dict[str, Any]]) -> bool:
    """Each force's last run and last successful run; True when any run records fallbacks."""
    fallback_recorded = False
    for run in runs:
        started = str(run.get("started") or "")
        for slug, counts in run["forces"].items():
            counts = counts if isinstance(counts, dict) else {}
            area = _area_of(slug)
            stats = by_area.setdefault(area, ForceStats(area, slug))
            stats.slug = stats.slug or slug
            reason = str(counts.get("finish_reason") or run.get("finish_reason") or "unfinished")
            fallback = counts.get("fallback")
            fallback_recorded |= fallback is not None
            stats.last_run = RunStatus(started, reason, int(fallback) if fallback is not None else None)
            if reason == "finished":
                stats.last_success = started
    return fallback_recorded


def _apply_state(data_dir: Path, by_area: dict[str, ForceStats], notes: list[str]) -> list[FailureGroup]:
    """Pages currently failing per force, when there is a state to ask; returns them grouped
    by reason, most pages first."""
    if not Path(data_dir, STATE_FILE).exists():
        return []
    try:
        with State.open_readonly(data_dir) as state:
            summary = state.summary()
            failing = state.failing()
    except (StateError, OSError) as exc:
        notes.append(f"the crawl database ({STATE_FILE}) could not be read: {exc}")
        return []
    for row in summary:
        area = _area_of(row.force)
        stats = by_area.setdefault(area, ForceStats(area, row.force))
        stats.failing = row.failures
    return group_failures((_area_of(force), error) for force, error in failing)


def group_failures(failing: Iterable[tuple[str, str]]) -> list[FailureGroup]:
    """(area, error) per failing page → one group per reason, most pages first."""
    by_reason: dict[str, Counter[str]] = {}
    for area, error in failing:
        by_reason.setdefault(failure_reason(error), Counter())[area] += 1
    groups = [
        FailureGroup(reason, sum(areas.values()), tuple(sorted(areas.items(), key=lambda a: (-a[1], a[0]))))
        for reason, areas in by_reason.items()
    ]
    return sorted(groups, key=lambda g: (-g.pages, g.reason))


def collect(data_dir: str | Path, *, today: date | None = None) -> Report:
    """Read an output folder into a :class:`Report`; raises ReportError when there is nothing."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise ReportError(
            f"{data_dir} is not a folder: name the data folder of a crawl (the --data given to "
            "`newscrawler crawl`), e.g. `newscrawler report --data /srv/police-news`"
        )
    today = today or datetime.now(UTC).date()
    notes: list[str] = []
    by_area: dict[str, ForceStats] = {}
    dated: list[tuple[date, Article]] = []
    for path in iter_files(data_dir):
        area = path.parent.name
        stats = by_area.setdefault(area, ForceStats(area, _slug_of(area)))
        try:
            article = read(path)
        except (RecordError, UnicodeDecodeError, OSError):
            stats.unreadable += 1
            continue
        published = record_date(article)
        stats.add(article, published)
        if published is not None and published <= today:
            dated.append((published, article))
    runs = load_runs(data_dir, notes)
    if not by_area and not runs:
        raise ReportError(
            f"{data_dir} has no records (no {NEWS_DIR}/<Area>/*.md) and no run reports: "
            f"crawl first, e.g. `newscrawler crawl kent --data {data_dir}`"
        )
    fallback_recorded = _apply_runs(by_area, runs)
    failures = _apply_state(data_dir, by_area, notes)
    unreadable = sum(f.unreadable for f in by_area.values())
    if unreadable:
        notes.append(f"{plural(unreadable, 'record file')} could not be read (`newscrawler format` says why)")
    top, window, counted = _top_words(dated)
    return Report(
        data_dir=data_dir,
        generated=datetime.now(UTC),
        # Forces with records first: they are what the page is about.
        forces=sorted(by_area.values(), key=lambda f: (f.records == 0, f.area.lower())),
        runs=len(runs),
        fallback_recorded=fallback_recorded,
        notes=notes,
        top_words=top,
        words_window=window,
        words_records=counted,
        failures=failures,
    )


def _top_words(
    dated: list[tuple[date, Article]],
) -> tuple[list[tuple[str, int]], tuple[date, date] | None, int]:
    """Words in the most records of the last WORDS_WINDOW_DAYS days of the archive (ending at
    its newest record not after today): what the forces were writing about lately. None from
    fewer than MIN_WORDS_RECORDS records, and only words in MIN_WORD_RECORDS of them."""
    if not dated:
        return [], None, 0
    end = max(d for d, _ in dated)
    start = end - timedelta(days=WORDS_WINDOW_DAYS - 1)
    counts: Counter[str] = Counter()
    recent = [a for d, a in dated if d >= start]
    if len(recent) < MIN_WORDS_RECORDS:
        return [], (start, end), len(recent)
    for article in recent:
        counts.update(words(article.title + "\n" + article.body))
    top = [(word, n) for word, n in counts.most_common(TOP_WORDS) if n >= MIN_WORD_RECORDS]
    return top, (start, end), len(recent)


# ---- HTML ---------------------------------------------------------------------------------

_CSS = """
:root { --ink: #1d2630; --muted: #5b6875; --line: #d9dee3; --accent: #1f5f99; --bad: #b3261e; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 1180px; padding: 24px 28px 60px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
p.lead { color: var(--muted); margin: 0 0 16px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 150px; }
.card b { display: block; font-size: 22px; }
.card span { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f3f5f7; position: sticky; top: 0; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.bad { color: var(--bad); font-weight: 600; }
.muted { color: var(--muted); }
.chart { overflow-x: auto; }
svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
svg .axis { stroke: #8a96a3; stroke-width: 1; }
ul.attention li { margin: 4px 0; }
a { color: var(--accent); }
"""

_HEAT = ("#dbe9f6", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
_GAP = "#f4b6b0"
_BAR = "#3182bd"


def _noun(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _link(url: str, text: str) -> str:
    """A link to an article on a force's site; anything but http(s) is shown, not linked."""
    if url.startswith(("https://", "http://")):
        return f'<a href="{_e(url)}" rel="noreferrer">{_e(text)}</a>'
    return _e(text)


def _when(stamp: str | None) -> str:
    """A run's ISO start time, for people: ``2024-05-01 12:00 UTC``."""
    if not stamp:
        return "—"
    return stamp.replace("T", " ")[:16] + " UTC" if len(stamp) >= 16 else stamp


def _heat_colour(count: int, top: int) -> str:
    level = math.ceil(len(_HEAT) * math.log1p(count) / math.log1p(top)) if top else 1
    return _HEAT[max(1, min(level, len(_HEAT))) - 1]


def _x_labels(months: list[Month], x0: float, step: float, y: float) -> Iterable[str]:
    """Year labels under a month axis (every year, or every few when they would crowd)."""
    years = sorted({m[0] for m in months})
    every = max(1, math.ceil(len(years) * 40 / max(1.0, step * len(months))))
    for i, month in enumerate(months):
        if (month[1] == 1 or i == 0) and (month[0] - years[0]) % every == 0:
            x = x0 + i * step
            yield f'<line class="axis" x1="{x:.1f}" y1="{y - 4}" x2="{x:.1f}" y2="{y + 2}"/>'
            yield f'<text x="{x:.1f}" y="{y + 14}">{month[0]}</text>'


def chart_months(report: Report) -> str:
    """Records per month, all forces: one bar per month with records."""
    totals = report.months
    if not totals:
        return '<p class="muted">No dated records.</p>'
    months = list(month_range(min(totals), max(totals)))
    left, height, plot_w = 48, 180, 1060
    step = max(3.0, plot_w / len(months))
    top = max(totals.values())
    parts = [
        f'<svg id="chart-months" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{left + step * len(months) + 10:.0f}" height="{height + 40}" '
        f'aria-label="Records per month">',
        f'<line class="axis" x1="{left}" y1="{height}" x2="{left + step * len(months):.1f}" y2="{height}"/>',
        f'<text x="{left - 6}" y="14" text-anchor="end">{top}</text>',
        f'<text x="{left - 6}" y="{height}" text-anchor="end">0</text>',
    ]
    for i, month in enumerate(months):
        count = totals[month]
        if not count:
            continue
        h = max(1.0, (height - 10) * count / top)
        parts.append(
            f'<rect class="bar" data-month="{month[0]}-{month[1]:02d}" data-count="{count}" '
            f'x="{left + i * step:.1f}" y="{height - h:.1f}" width="{max(1.0, step - 1):.1f}" '
            f'height="{h:.1f}" fill="{_BAR}">'
            f"<title>{month_label(month)}: {plural(count, 'record')}</title></rect>"
        )
    parts.extend(_x_labels(months, left, step, height + 4))
    parts.append("</svg>")
    return "".join(parts)


def chart_heatmap(report: Report) -> str:
    """Records per force per month: a row per force, a cell per month, darker for more; months
    with no records inside a force's span (coverage gaps) are marked."""
    totals = report.months
    forces = [f for f in report.forces if f.months]
    if not forces:
        return '<p class="muted">No dated records.</p>'
    months = list(month_range(min(totals), max(totals)))
    index = {m: i for i, m in enumerate(months)}
    left, row, plot_w = 170, 15, 930
    step = max(3.0, plot_w / len(months))
    top = max(c for f in forces for c in f.months.values())
    height = row * len(forces)
    parts = [
        f'<svg id="chart-heatmap" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{left + step * len(months) + 10:.0f}" height="{height + 58}" '
        f'aria-label="Records per force per month">'
    ]
    for r, force in enumerate(forces):
        y = r * row
        parts.append(f'<g class="series" data-area="{_e(force.area)}" data-records="{force.records}">')
        parts.append(f'<text x="{left - 6}" y="{y + row - 4}" text-anchor="end">{_e(force.area)}</text>')
        parts.append(
            f'<rect x="{left}" y="{y + 1}" width="{step * len(months):.1f}" height="{row - 2}" '
            'fill="#f5f6f7"/>'
        )
        for month, count in sorted(force.months.items()):
            parts.append(
                f'<rect class="cell" data-month="{month[0]}-{month[1]:02d}" '
                f'x="{left + index[month] * step:.1f}" '
                f'y="{y + 1}" width="{max(1.0, step - 0.5):.1f}" height="{row - 2}" '
                f'fill="{_heat_colour(count, top)}"><title>{_e(force.area)}, {month_label(month)}: '
                f"{plural(count, 'record')}</title></rect>"
            )
        for first, last in force.gaps():
            for month in month_range(first, last):
                parts.append(
                    f'<rect class="gap" x="{left + index[month] * step:.1f}" y="{y + 1}" '
                    f'width="{max(1.0, step - 0.5):.1f}" height="{row - 2}" fill="{_GAP}">'
                    f"<title>{_e(force.area)}, {month_label(month)}: no records (gap)</title></rect>"
                )
        parts.append("</g>")
    parts.extend(_x_labels(months, left, step, height + 4))
    legend_y = height + 30
    parts.append(f'<text x="{left}" y="{legend_y + 10}">fewer</text>')
    for i, colour in enumerate(_HEAT):
        parts.append(
            f'<rect x="{left + 40 + i * 16}" y="{legend_y}" width="14" height="12" fill="{colour}"/>'
        )
    x = left + 40 + len(_HEAT) * 16 + 6
    parts.append(f'<text x="{x}" y="{legend_y + 10}">more records (max {top} a month)</text>')
    parts.append(f'<rect x="{x + 190}" y="{legend_y}" width="14" height="12" fill="{_GAP}"/>')
    parts.append(f'<text x="{x + 210}" y="{legend_y + 10}">no records inside the force\'s span</text>')
    parts.append("</svg>")
    return "".join(parts)


def chart_words(report: Report) -> str:
    """The top words as horizontal bars: records mentioning each."""
    if not report.words_records:
        return '<p class="muted">No dated records to count words in.</p>'
    if report.words_records < MIN_WORDS_RECORDS:
        return (
            f'<p class="muted">Only {plural(report.words_records, "record")} in those days: too few '
            f"to say what the forces wrote about (at least {MIN_WORDS_RECORDS} are needed).</p>"
        )
    if not report.top_words:
        return f'<p class="muted">No word is in {MIN_WORD_RECORDS} or more of those records.</p>'
    left, row, plot_w = 120, 18, 420
    top = report.top_words[0][1]
    parts = [
        f'<svg id="chart-words" xmlns="http://www.w3.org/2000/svg" role="img" width="{left + plot_w + 60}" '
        f'height="{row * len(report.top_words) + 4}" aria-label="Top words">'
    ]
    for i, (word, count) in enumerate(report.top_words):
        y = i * row
        w = max(1.0, plot_w * count / top)
        parts.append(
            f'<g class="word" data-word="{_e(word)}"><text x="{left - 6}" y="{y + 13}" text-anchor="end">'
            f'{_e(word)}</text><rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 5}" fill="{_BAR}">'
            f"<title>{_e(word)}: in {plural(count, 'record')}</title></rect>"
            f'<text x="{left + w + 4:.1f}" y="{y + 13}">{count}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _gap_text(gaps: list[tuple[Month, Month]]) -> str:
    out = []
    for first, last in gaps:
        n = sum(1 for _ in month_range(first, last))
        out.append(
            month_label(first) if n == 1 else f"{month_label(first)} – {month_label(last)} ({n} months)"
        )
    return ", ".join(out)


def _force_table(report: Report) -> str:
    fallback_head = (
        '<th class="n">pages read by the generic extractor</th>' if report.fallback_recorded else ""
    )
    rows = []
    for f in report.forces:
        run = f.last_run
        if run is None:
            run_cell = '<span class="muted">no crawl recorded</span>'
        elif run.reason == "finished":
            run_cell = f"{_when(run.started)} · {outcome(run.reason)}"
        else:
            run_cell = f'{_when(run.started)} · <span class="bad">{_e(outcome(run.reason))}</span>'
        success = _when(f.last_success) if f.last_success else '<span class="muted">none</span>'
        newest = (
            f"{format_date(f.newest)} — {_link(f.newest_url, html.unescape(f.newest_title) or f.newest_url)}"
            if f.newest
            else '<span class="muted">—</span>'
        )
        fallback = ""
        if report.fallback_recorded:
            fallback = f'<td class="n">{"—" if run is None or run.fallback is None else run.fallback}</td>'
        rows.append(
            f'<tr data-area="{_e(f.area)}"><td>{_e(f.area)}<br>'
            f'<span class="muted">{_e(f.slug or "")}</span></td>'
            f'<td class="n">{f.records}</td><td class="n">{f.undated or ""}</td>'
            f"<td>{month_label(f.span[0]) if f.span else '—'}</td><td>{newest}</td><td>{run_cell}</td>"
            f"<td>{success}</td>"
            f'<td class="n">{"—" if f.failing is None else f.failing}</td>{fallback}</tr>'
        )
    return (
        '<table id="forces"><thead><tr><th>force</th><th class="n">records</th>'
        '<th class="n">no date found</th><th>first month</th><th>newest article</th><th>last crawl</th>'
        f'<th>last successful crawl</th><th class="n">pages failing</th>{fallback_head}</tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def _attention(report: Report) -> str:
    items = []
    # Forces whose last crawl failed, one line per crawl (an offline run fails every force).
    failed: dict[str, list[str]] = {}
    for f in report.forces:
        if f.last_run and f.last_run.reason == "failed":
            failed.setdefault(f.last_run.started, []).append(f.area)
    if report.runs == 0:
        items.append(
            '<li class="muted">No crawl is recorded in this folder: how crawls ended is unknown.</li>'
        )
    for started, areas in failed.items():
        items.append(
            f'<li><span class="bad">Last crawl failed</span> for {plural(len(areas), "force")} '
            f"({_when(started)}): {_e(', '.join(sorted(areas)))}</li>"
        )
    if report.runs and not failed:
        items.append("<li>Every force's last crawl completed without failing.</li>")
    if report.failures:
        pages = sum(g.pages for g in report.failures)
        items.append(
            f'<li><span class="bad">{plural(pages, "page")} could not be archived</span> at the last '
            f"try, for {plural(len(report.failures), 'reason')} (below); the next crawl tries again.</li>"
        )
    if not report.fallback_recorded:
        items.append(
            '<li class="muted">Pages read by the generic extractor (a site layout not recognised): '
            "not recorded by these crawls.</li>"
        )
    else:
        fell = [(f.area, f.last_run.fallback) for f in report.forces if f.last_run and f.last_run.fallback]
        text = ", ".join(f"{_e(area)} ({plural(pages, 'page')})" for area, pages in fell)
        items.append(
            f'<li><span class="bad">Site layout not recognised</span> (pages read by the generic '
            f"extractor) in the last crawl of: {text}</li>"
            if fell
            else "<li>Every force's site layout was recognised in its last crawl.</li>"
        )
    gaps = sum(1 for f in report.forces if f.gaps())
    if gaps:
        have = "has" if gaps == 1 else "have"
        items.append(
            f"<li>{plural(gaps, 'force')} {have} months with no records inside their span (below).</li>"
        )
    items.extend(f'<li class="muted">{_e(note)}</li>' for note in report.notes)
    return '<ul class="attention">' + "".join(items) + "</ul>"


def _failures_table(report: Report) -> str:
    """Pages whose last try failed, one row per reason (not one per page)."""
    if not report.failures:
        return "<p>None: no page is failing.</p>"
    rows = [
        f'<tr><td>{_e(g.reason)}</td><td class="n">{g.pages:,}</td>'
        f"<td>{_e(', '.join(f'{area} ({n:,})' for area, n in g.forces))}</td></tr>"
        for g in report.failures
    ]
    return (
        '<table id="failures"><thead><tr><th>reason</th><th class="n">pages</th><th>forces (pages)</th>'
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def _gaps_table(report: Report) -> str:
    rows = [
        f"<tr><td>{_e(f.area)}</td><td>{_gap_text(f.gaps())}</td></tr>" for f in report.forces if f.gaps()
    ]
    if not rows:
        return "<p>No gaps: every force has records in every month from its first to its last.</p>"
    return '<table id="gaps"><thead><tr><th>force</th><th>months with no records</th></tr></thead><tbody>' + (
        "".join(rows) + "</tbody></table>"
    )


def render_html(report: Report) -> str:
    """The whole page. Nothing in it is fetched: CSS and SVG inline, and a CSP that forbids loads."""
    totals = report.months
    span = f"{month_label(min(totals))} – {month_label(max(totals))}" if totals else "no dated records"
    undated = sum(f.undated for f in report.forces)
    window = (
        f"{format_date(report.words_window[0])} – {format_date(report.words_window[1])}"
        if report.words_window
        else "—"
    )
    with_records = sum(1 for f in report.forces if f.records)
    cards = [
        (f"{report.records:,}", _noun(report.records, "record")),
        (f"{with_records:,}", f"{_noun(with_records, 'force')} with records"),
        (span, "months covered"),
        (f"{undated:,}", f"{_noun(undated, 'record')} with no date found"),
        (f"{report.runs:,}", f"{_noun(report.runs, 'crawl')} recorded"),
    ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>Police news archive — {_e(report.data_dir)}</title>",
            f"<style>{_CSS}</style></head><body>",
            "<h1>Police news archive</h1>",
            f'<p class="lead">{_e(report.data_dir)} · generated {report.generated:%Y-%m-%d %H:%M} UTC '
            f"by newscrawler {__version__}</p>",
            '<div class="cards">'
            + "".join(f"<div class=card><b>{_e(v)}</b><span>{_e(k)}</span></div>" for v, k in cards)
            + "</div>",
            "<h2>Needs attention</h2>",
            _attention(report),
            "<h2>Records per month</h2>",
            f'<div class="chart">{chart_months(report)}</div>',
            "<h2>Records per force per month</h2>",
            f'<div class="chart">{chart_heatmap(report)}</div>',
            "<h2>Forces</h2>",
            _force_table(report),
            "<h2>Pages that could not be archived</h2>",
            _failures_table(report),
            "<h2>Coverage gaps</h2>",
            _gaps_table(report),
            f"<h2>Top words of the last {WORDS_WINDOW_DAYS} days</h2>",
            f'<p class="lead">{window}: in how many of the {plural(report.words_records, "record")} of '
            f"those days each word appears. Shown only from {MIN_WORDS_RECORDS} records or more, and only "
            f"words in at least {MIN_WORD_RECORDS} of them; common words are left out, and so are words "
            "written only with a capital letter (names of people and places), so the list shows "
            "topics, not people.</p>",
            f'<div class="chart">{chart_words(report)}</div>',
            "</body></html>",
            "",
        ]
    )


def write_html(report: Report, out: str | Path) -> None:
    """Write the page to ``out``, whole or not at all (a cron job may overwrite the page someone
    has open)."""
    out = Path(out)
    # Not record.atomic_write: its temp file is private (0600), and a report is for sharing.
    tmp = out.with_name(f".{out.name}.part")
    try:
        tmp.write_text(render_html(report), encoding="utf-8")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
