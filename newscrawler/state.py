"""The crawl state: an embedded SQLite database at ``<out>/state.sqlite``.

It is what makes runs incremental (which articles are known, how new the newest is, which
ETag / Last-Modified to send back) and what keeps history (every earlier version of an article
a force edited in place, every run). A run killed at any point, even by ``kill -9``, must leave
state and files in agreement, so every finished record is committed right after its file is
written, and an earlier version is committed before its file is replaced (see :meth:`State.save`).

One process holds one connection (``State.open``); WAL mode lets ``newscrawler state`` read
while a crawl writes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Self

from newscrawler.record import Article, ArticleWriter, WriteResult, iter_files

STATE_FILE = "state.sqlite"

log = logging.getLogger("newscrawler")


class StateError(RuntimeError):
    """A state database that cannot be used (missing, or from a newer newscrawler)."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """The one timestamp form stored: UTC, seconds, ``Z`` (sorts as text)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class ArticleState:
    """What the state knows about one article url."""

    url: str
    force: str
    area: str | None
    path: str | None
    content_hash: str | None
    published: date | None
    first_seen: str | None
    last_fetched: str | None
    last_changed: str | None
    etag: str | None
    last_modified: str | None
    failures: int
    last_error: str | None
    no_record: bool = False
    published_time: str | None = None  # HH:MM the page showed with its date (not in the file)
    removed: str | None = None  # when a revisit found the article gone from its site (404/410)

    @property
    def written(self) -> bool:
        """True once a record was written (a url that only ever failed is not)."""
        return self.content_hash is not None

    def conditional_headers(self) -> dict[str, str]:
        """Request headers that let the server answer 304 when nothing changed."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Version:
    """An earlier version of a record, kept when a force edited the article."""

    url: str
    content_hash: str
    text: str
    replaced_at: str


@dataclass(frozen=True)
class ForceSummary:
    """One line of ``newscrawler state``."""

    force: str
    records: int
    newest: date | None
    failures: int
    last_run: str | None
    last_run_reason: str | None
    last_run_failed: int | None = None  # pages and records that failed in the last run


# Each entry moves the schema from version i to i + 1 (PRAGMA user_version). Add, never edit.
_MIGRATIONS: list[tuple[str, ...]] = [
    (
        """CREATE TABLE articles (
            url TEXT PRIMARY KEY,
            force TEXT NOT NULL,
            area TEXT,
            path TEXT,
            content_hash TEXT,
            published TEXT,
            first_seen TEXT,
            last_fetched TEXT,
            last_changed TEXT,
            etag TEXT,
            last_modified TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        )""",
        "CREATE INDEX articles_force_published ON articles (force, published)",
        """CREATE TABLE versions (
            url TEXT NOT NULL,
            force TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            text TEXT NOT NULL,
            replaced_at TEXT NOT NULL,
            UNIQUE (url, content_hash)
        )""",
        "CREATE INDEX versions_force ON versions (force)",
        # Per force: the newest publication date up to which every listed article is known
        # (set by a run that read its listings to the end); listings stop below it.
        """CREATE TABLE forces (
            force TEXT PRIMARY KEY,
            complete_through TEXT,
            updated TEXT NOT NULL
        )""",
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            finished TEXT,
            finish_reason TEXT,
            forces TEXT NOT NULL DEFAULT '{}'
        )""",
    ),
    # 1: the page was fetched but gave no record (no date, not an article, gone); runs skip
    # it for a while (runs.Incremental), since its link stays on listings run after run.
    ("ALTER TABLE articles ADD COLUMN no_record INTEGER NOT NULL DEFAULT 0",),
    # 2: the publication time the page showed (the record file keeps the date only), and when
    # a revisit found an archived article gone from its site: the record stays, flagged.
    (
        "ALTER TABLE articles ADD COLUMN published_time TEXT",
        "ALTER TABLE articles ADD COLUMN removed TEXT",
    ),
    # 3: another address of a record (a link that redirects, or whose page names another url
    # as its own): known while its record is, so listings linking it cost nothing.
    ("ALTER TABLE articles ADD COLUMN alias_of TEXT",),
]
SCHEMA_VERSION = len(_MIGRATIONS)

_ARTICLE_COLUMNS = (
    "url, force, area, path, content_hash, published, first_seen, last_fetched, last_changed, "
    "etag, last_modified, failures, last_error, no_record, published_time, removed"
)


def _article(row: sqlite3.Row) -> ArticleState:
    values = dict(row)
    values["published"] = date.fromisoformat(row["published"]) if row["published"] else None
    values["no_record"] = bool(row["no_record"])
    return ArticleState(**values)


class State:
    """The state of one output folder. Use as a context manager, or call :meth:`close`."""

    def __init__(self, out: Path, conn: sqlite3.Connection) -> None:
        self.out = out
        self._conn = conn

    @classmethod
    def open(cls, out: str | os.PathLike[str], *, create: bool = True) -> Self:
        """Open (and create or migrate) ``<out>/state.sqlite``.

        ``create=False`` is for readers such as ``newscrawler state``: no state yet is an error
        for them, not a reason to leave an empty database behind.
        """
        out = Path(out)
        path = out / STATE_FILE
        if not create and not path.exists():
            raise StateError(f"no state in {out} yet: run `newscrawler crawl --data {out}` first")
        out.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are explicit (see _tx), so a commit happens exactly
        # where this module says, never later.
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before the next file is written, like the fsynced files.
        conn.execute("PRAGMA synchronous=FULL")
        state = cls(out, conn)
        try:
            state._migrate()
        except BaseException:
            conn.close()
            raise
        return state

    @classmethod
    def open_readonly(cls, out: str | os.PathLike[str]) -> Self:
        """Open ``<out>/state.sqlite`` to read it only (``newscrawler state``, ``validate``,
        ``report``, ``export``): nothing is created, migrated or written, so a read-only folder
        (a mounted copy, another user's data) can be read. Where SQLite cannot even make its
        shared-memory file there, the database is read as immutable: as last committed to it.
        A state from an older newscrawler is upgraded first, which needs write access."""
        out = Path(out)
        path = out / STATE_FILE
        if not path.exists():
            raise StateError(f"no state in {out} yet: run `newscrawler crawl --data {out}` first")
        problem: sqlite3.Error | None = None
        for query in ("mode=ro", "mode=ro&immutable=1"):
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True, timeout=30)
            conn.row_factory = sqlite3.Row
            try:
                version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            except sqlite3.Error as exc:
                conn.close()
                problem = exc
                continue
            if version == SCHEMA_VERSION:
                return cls(out, conn)
            conn.close()
            try:
                return cls.open(out, create=False)  # refuses a newer schema, upgrades an older one
            except sqlite3.Error as exc:
                raise StateError(
                    f"{path} is from an older newscrawler and must be upgraded, which needs write "
                    f"access to {out} ({exc})"
                ) from None
        raise StateError(f"cannot read {path}: {problem}")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _migrate(self) -> None:
        with self._tx() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StateError(
                    f"{self.out / STATE_FILE} has schema version {version}, newer than this "
                    f"newscrawler understands ({SCHEMA_VERSION}): upgrade newscrawler"
                )
            for step in _MIGRATIONS[version:]:
                for statement in step:
                    conn.execute(statement)
            if version != SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @property
    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    # Articles -------------------------------------------------------------------------------

    def known(self, url: str) -> ArticleState | None:
        """The state of an article url (canonical), or None if it was never seen."""
        row = self._conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE url = ?", (url,)).fetchone()
        return _article(row) if row else None

    def known_links(self, force: str) -> dict[str, date | None]:
        """Every url of a force the state holds, with the publication date of its record (None
        without one), in one query instead of one per link: records, other addresses of
        records (:meth:`alias`), and pages without a record, which :meth:`retry_due` says
        when to fetch again. A listing link among them is not fetched from the listing."""
        rows = self._conn.execute(
            "SELECT a.url, COALESCE(a.published, r.published) FROM articles AS a "
            "LEFT JOIN articles AS r ON r.url = a.alias_of "
            "WHERE a.force = ? AND (a.alias_of IS NULL OR r.content_hash IS NOT NULL)",
            (force,),
        )
        return {url: date.fromisoformat(day) if day else None for url, day in rows}

    def alias(self, url: str, force: str, record: str, *, now: datetime | None = None) -> None:
        """``url`` is another address of the record at ``record`` (a link that redirects to it,
        a page naming it in og:url or canonical, the same article twice): known while that
        record is. A url with a record of its own keeps it."""
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO articles (url, force, last_fetched, alias_of) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET alias_of = excluded.alias_of, "
                "last_fetched = excluded.last_fetched, failures = 0, last_error = NULL, no_record = 0 "
                "WHERE articles.content_hash IS NULL",
                (url, force, iso(now or utc_now()), record),
            )

    def save(
        self,
        writer: ArticleWriter,
        article: Article,
        *,
        force: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        now: datetime | None = None,
    ) -> tuple[Path, WriteResult]:
        """Write a record's file and its state so that a kill at any point loses nothing.

        Order: (1) the file's earlier text, if it differs, is committed to ``versions`` (a
        repeat after a kill is ignored: versions are unique by url and hash); (2) the file is
        written atomically; (3) the article row is committed. A kill before (3) leaves a file
        the next run finds byte-identical, and (3) then happens.
        """
        now = now or utc_now()
        force = force or article.force
        if not force:
            raise ValueError(f"no force given for {article.url}")
        path = writer.path_for(article)
        try:
            old = path.read_bytes()
        except FileNotFoundError:
            old = None
        if old is not None and old != article.render().encode("utf-8"):
            try:
                self._keep_version(article.url, force, old.decode("utf-8"), now)
            except UnicodeDecodeError:
                # Not text, so no version of any record (a damaged disk, a stray file): the
                # record replaces it, or the damage would outlive every later run.
                log.warning("%s held no record (not UTF-8 text): replaced by %s", path, article.url)
        path, result = writer.write(article)
        self.record(
            article,
            path.relative_to(writer.out).as_posix(),
            force=force,
            etag=etag,
            last_modified=last_modified,
            now=now,
        )
        return path, result

    def _keep_version(self, url: str, force: str, text: str, now: datetime) -> None:
        content_hash = hashlib.sha1(text.encode("utf-8")).hexdigest()
        with self._tx() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO versions (url, force, content_hash, text, replaced_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (url, force, content_hash, text, iso(now)),
            )

    def record(
        self,
        article: Article,
        path: str,
        *,
        force: str,
        etag: str | None = None,
        last_modified: str | None = None,
        now: datetime | None = None,
    ) -> None:
        """Commit the row of a record whose file (``path``, relative to the output folder) is
        written. Clears earlier failures and the removed flag (the site serves it);
        ``last_changed`` moves only when the content did; a publication time once known stays
        when the page (or an imported file) shows none."""
        stamp = iso(now or utc_now())
        published = article.published
        with self._tx() as conn:
            conn.execute(
                """
                INSERT INTO articles (url, force, area, path, content_hash, published, first_seen,
                    last_fetched, last_changed, etag, last_modified, failures, last_error,
                    published_time)
                VALUES (:url, :force, :area, :path, :hash, :published, :now, :now, :now, :etag,
                    :last_modified, 0, NULL, :time)
                ON CONFLICT (url) DO UPDATE SET
                    force = excluded.force, area = excluded.area, path = excluded.path,
                    last_changed = CASE WHEN articles.content_hash IS excluded.content_hash
                        THEN articles.last_changed ELSE excluded.last_changed END,
                    content_hash = excluded.content_hash, published = excluded.published,
                    first_seen = COALESCE(articles.first_seen, excluded.first_seen),
                    last_fetched = excluded.last_fetched, etag = excluded.etag,
                    last_modified = excluded.last_modified, failures = 0, last_error = NULL,
                    no_record = 0, removed = NULL, alias_of = NULL,
                    published_time = COALESCE(excluded.published_time, articles.published_time)
                """,
                {
                    "url": article.url,
                    "force": force,
                    "area": article.area,
                    "path": path,
                    "hash": article.content_hash,
                    "published": published.isoformat() if published else None,
                    "now": stamp,
                    "etag": etag,
                    "last_modified": last_modified,
                    "time": article.time,
                },
            )

    def not_modified(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        now: datetime | None = None,
    ) -> None:
        """A revisit answered 304: the article was checked now; newer validators are kept."""
        with self._tx() as conn:
            conn.execute(
                "UPDATE articles SET last_fetched = ?, etag = COALESCE(?, etag), "
                "last_modified = COALESCE(?, last_modified), failures = 0, last_error = NULL, "
                "no_record = 0, removed = NULL "
                "WHERE url = ?",
                (iso(now or utc_now()), etag, last_modified, url),
            )

    def failed(
        self,
        url: str,
        force: str,
        error: str,
        *,
        no_record: bool = False,
        now: datetime | None = None,
    ) -> int:
        """Count a failure to fetch or read an article; returns its failures in a row.

        ``no_record``: the page was read and gave no record (not worth fetching again at
        once); else it could not be fetched (a timeout, a server error: the next run tries).
        A record already written stays as it is: a failure never removes what was archived.
        """
        with self._tx() as conn:
            row = conn.execute(
                "INSERT INTO articles (url, force, last_fetched, failures, last_error, no_record) "
                "VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                "failures = articles.failures + 1, last_error = excluded.last_error, "
                "last_fetched = excluded.last_fetched, no_record = excluded.no_record "
                "RETURNING failures",
                (url, force, iso(now or utc_now()), error, int(no_record)),
            ).fetchone()
        return int(row[0])

    def removed_from_site(self, url: str, *, now: datetime | None = None) -> bool:
        """An archived article its site no longer serves (404 / 410 on a revisit): flagged with
        when that was first seen, never deleted (the file and its history stay). Returns
        whether the url has a record to flag."""
        with self._tx() as conn:
            count = conn.execute(
                "UPDATE articles SET removed = COALESCE(removed, ?) "
                "WHERE url = ? AND content_hash IS NOT NULL",
                (iso(now or utc_now()), url),
            ).rowcount
        return bool(count)

    def newest(self, force: str) -> date | None:
        """The newest publication date among a force's records: where listings may stop."""
        row = self._conn.execute(
            "SELECT MAX(published) FROM articles WHERE force = ? AND content_hash IS NOT NULL",
            (force,),
        ).fetchone()
        return date.fromisoformat(row[0]) if row[0] else None

    def complete_through(self, force: str) -> date | None:
        """The date up to which a force's archive is known to be complete, or None.

        Unlike :meth:`newest`, it moves only when a run finished reading the force's listings:
        a run killed halfway has archived new articles above older ones it never reached, so
        the next run must read on past them.
        """
        row = self._conn.execute("SELECT complete_through FROM forces WHERE force = ?", (force,)).fetchone()
        return date.fromisoformat(row[0]) if row and row[0] else None

    def mark_complete(self, force: str, *, now: datetime | None = None) -> None:
        """Record that every article of the force up to its newest record is archived (a force
        whose pages gave no record yet is complete through ``date.min``: it was read to the end
        all the same)."""
        newest = self.newest(force) or date.min
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO forces (force, complete_through, updated) VALUES (?, ?, ?) "
                "ON CONFLICT (force) DO UPDATE SET complete_through = excluded.complete_through, "
                "updated = excluded.updated",
                (force, newest.isoformat(), iso(now or utc_now())),
            )

    def revisit_due(self, force: str, window_days: int, *, today: date | None = None) -> list[ArticleState]:
        """A force's records published within the revisit window, newest first: forces edit
        recent articles in place, so these are fetched again (conditionally)."""
        since = (today or utc_now().date()) - timedelta(days=window_days)
        rows = self._conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE force = ? AND published >= ? "
            "AND content_hash IS NOT NULL ORDER BY published DESC, url",
            (force, since.isoformat()),
        )
        return [_article(row) for row in rows]

    def retry_due(self, force: str, *, retry_from: datetime | None = None) -> list[str]:
        """A force's urls without a record that are due to be tried again: the ones that
        failed to fetch, and pages that gave no record when last fetched up to ``retry_from``.
        They are fetched directly, since a link deep in a listing is not read again."""
        rows = self._conn.execute(
            "SELECT url FROM articles WHERE force = ? AND content_hash IS NULL AND alias_of IS NULL "
            "AND (NOT no_record OR last_fetched <= ?) ORDER BY url",
            (force, iso(retry_from) if retry_from else ""),
        )
        return [row[0] for row in rows]

    def versions(self, url: str) -> list[Version]:
        """The earlier versions of a record, oldest first."""
        rows = self._conn.execute(
            "SELECT url, content_hash, text, replaced_at FROM versions WHERE url = ? "
            "ORDER BY replaced_at, rowid",
            (url,),
        )
        return [Version(**dict(row)) for row in rows]

    def iter_versions(self) -> Iterator[Version]:
        """Every earlier version of every record, by url, oldest first (read as it goes)."""
        rows = self._conn.execute(
            "SELECT url, content_hash, text, replaced_at FROM versions ORDER BY url, replaced_at, rowid"
        )
        for row in rows:
            yield Version(**dict(row))

    def forget(self, force: str) -> int:
        """Drop everything known about a force's articles (files stay), so its next run is a
        full one; returns how many articles were forgotten. Runs are history and stay."""
        with self._tx() as conn:
            count = conn.execute("DELETE FROM articles WHERE force = ?", (force,)).rowcount
            conn.execute("DELETE FROM versions WHERE force = ?", (force,))
            conn.execute("DELETE FROM forces WHERE force = ?", (force,))
        return int(count)

    def remove_article(self, url: str) -> tuple[str | None, int]:
        """Drop one article from the state: its row and its earlier versions (their text), for
        a record that must go (personal data). Returns its file's path (relative to the output
        folder; the caller deletes the file) and how many earlier versions were dropped."""
        # Deleted rows' bytes are overwritten, not left in the database's free pages.
        self._conn.execute("PRAGMA secure_delete = ON")
        with self._tx() as conn:
            row = conn.execute("SELECT path FROM articles WHERE url = ?", (url,)).fetchone()
            conn.execute("DELETE FROM articles WHERE url = ?", (url,))
            versions = conn.execute("DELETE FROM versions WHERE url = ?", (url,)).rowcount
        return (row[0] if row else None), int(versions)

    # Runs -----------------------------------------------------------------------------------

    def begin_run(self, started: datetime, forces: list[str]) -> int:
        """Record a run as started (a killed run stays visible, with no finish)."""
        with self._tx() as conn:
            cursor = conn.execute(
                "INSERT INTO runs (started, forces) VALUES (?, ?)",
                (iso(started), json.dumps({f: {} for f in forces}, sort_keys=True)),
            )
        return int(cursor.lastrowid or 0)

    def end_run(
        self, run_id: int, finished: datetime, reason: str, forces: dict[str, dict[str, Any]]
    ) -> None:
        """Record how a run ended and its per-force counts."""
        with self._tx() as conn:
            conn.execute(
                "UPDATE runs SET finished = ?, finish_reason = ?, forces = ? WHERE id = ?",
                (iso(finished), reason, json.dumps(forces, sort_keys=True), run_id),
            )

    def runs(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest runs, newest first."""
        rows = self._conn.execute(
            "SELECT id, started, finished, finish_reason, forces FROM runs ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [{**dict(row), "forces": json.loads(row["forces"])} for row in rows]

    # Reports --------------------------------------------------------------------------------

    def summary(self) -> list[ForceSummary]:
        """Per force: records, newest article, currently failing urls, last run."""
        per_force: dict[str, dict[str, Any]] = {}
        rows = self._conn.execute(
            "SELECT force, COUNT(content_hash) AS records, "
            "MAX(CASE WHEN content_hash IS NOT NULL THEN published END) AS newest, "
            "SUM(failures > 0) AS failures FROM articles GROUP BY force"
        )
        for row in rows:
            per_force[row["force"]] = dict(row)
        # A force's own finish reason ("failed" in a run that finished) wins over the run's.
        last_runs = self._conn.execute(
            "SELECT j.key AS force, r.started, "
            "COALESCE(json_extract(j.value, '$.finish_reason'), r.finish_reason) AS finish_reason, "
            "json_extract(j.value, '$.failed') AS failed "
            "FROM runs AS r, json_each(r.forces) AS j ORDER BY r.id"
        )
        for row in last_runs:  # ascending, so the last assignment is the latest run
            entry = per_force.setdefault(row["force"], {"records": 0, "failures": 0})
            entry["last_run"] = row["started"]
            entry["last_run_reason"] = row["finish_reason"] or "unfinished"
            entry["last_run_failed"] = row["failed"]
        return [
            ForceSummary(
                force=force,
                records=int(entry.get("records") or 0),
                newest=date.fromisoformat(entry["newest"]) if entry.get("newest") else None,
                failures=int(entry.get("failures") or 0),
                last_run=entry.get("last_run"),
                last_run_reason=entry.get("last_run_reason"),
                last_run_failed=entry.get("last_run_failed"),
            )
            for force, entry in sorted(per_force.items())
        ]

    def failing(self) -> list[tuple[str, str]]:
        """Per url whose last try failed: its force and the error, by force and url."""
        rows = self._conn.execute(
            "SELECT force, COALESCE(last_error, '') FROM articles WHERE failures > 0 ORDER BY force, url"
        )
        return [(row[0], row[1]) for row in rows]

    def check(self) -> list[str]:
        """Where state and files disagree (empty when they agree): a row whose file is missing
        or holds other bytes, or a record file the state does not know."""
        problems = []
        expected: dict[str, str] = {}
        for row in self._conn.execute(
            "SELECT url, path, content_hash FROM articles WHERE content_hash IS NOT NULL"
        ):
            expected[row["path"]] = row["content_hash"]
            path = self.out / row["path"]
            try:
                actual = hashlib.sha1(path.read_bytes()).hexdigest()
            except FileNotFoundError:
                problems.append(f"{row['path']}: in the state ({row['url']}) but no file")
                continue
            if actual != row["content_hash"]:
                problems.append(f"{row['path']}: file differs from the state ({row['url']})")
        for path in iter_files(self.out):
            rel = path.relative_to(self.out).as_posix()
            if rel not in expected:
                problems.append(f"{rel}: a record file the state does not know")
        return problems
