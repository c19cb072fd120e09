"""The article record and its file format, exact to the byte.

A file is "```yaml\\n" + PyYAML dump of the record's mapping (keys sorted, block style, no line
wrapping, non-ASCII escaped) + "```\\n" + "\\n" + body + "\\n", stored at
``<out>/news/<area>/<sha1 hex of the url>.md``. See ``../shared/police-news/SOURCES.md``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from newscrawler.dates import format_date, parse_record_date

try:  # the C loader is 10x faster and reads the same documents
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

OPEN_FENCE = "```yaml\n"
CLOSE_FENCE = "```\n"
NEWS_DIR = "news"
#: The keys every record written by the crawler carries (dotted paths into the mapping).
REQUIRED_KEYS = ("area", "og.description", "publish.date", "title", "url")


class RecordError(ValueError):
    """A record or file that does not follow the format."""


class UnsafePathError(RecordError):
    """An area (or url) that would place a file outside the output folder."""


def dump_meta(meta: dict[str, Any]) -> str:
    """The YAML block exactly as the archive writes it."""
    return yaml.dump(meta, default_flow_style=False, width=float("inf"))


def render(meta: dict[str, Any], body: str) -> str:
    """The whole file text of a record."""
    if body.endswith("\n"):
        raise RecordError("a body must not end with a newline: the format adds exactly one")
    return OPEN_FENCE + dump_meta(meta) + CLOSE_FENCE + "\n" + body + "\n"


def url_key(url: str) -> str:
    """The file name stem of a record: sha1 of its url."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()


class UrlSet:
    """A set of urls kept as their sha1 digests (20 bytes, the records' own identity, see
    :func:`url_key`) instead of the strings: a crawl remembers every article url it has
    seen, and a digest costs about a third of an url's memory."""

    __slots__ = ("_digests",)

    def __init__(self) -> None:
        self._digests: set[bytes] = set()

    @staticmethod
    def _digest(url: str) -> bytes:
        return hashlib.sha1(url.encode("utf-8")).digest()

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and self._digest(url) in self._digests

    def __len__(self) -> int:
        return len(self._digests)

    def add(self, url: str) -> None:
        self._digests.add(self._digest(url))

    def clear(self) -> None:
        self._digests.clear()


def check_area(area: str) -> str:
    """Return ``area`` if it is usable as one folder name, else raise UnsafePathError."""
    if not isinstance(area, str) or not area.strip():
        raise UnsafePathError(f"area must be a non-empty name, got {area!r}")
    bad = [c for c in area if c in "/\\\0" or ord(c) < 32 or ord(c) == 127]
    if bad or area.startswith(".") or area != area.strip():
        raise UnsafePathError(
            f"area {area!r} is not a plain folder name (no slashes, leading dots, control "
            "characters or surrounding spaces)"
        )
    return area


def _get(meta: dict[str, Any], dotted: str) -> Any:
    node: Any = meta
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


@dataclass
class Article:
    """One article: the YAML mapping written to the file, its Markdown body, and what the
    crawl knows about it that is not written (force slug, when it was fetched, the publication
    time the page showed: the file keeps the date only, the state keeps the time)."""

    meta: dict[str, Any]
    body: str
    force: str | None = None
    fetched_at: str | None = None
    time: str | None = None  # HH:MM, as the page showed it (dates.find_time)
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        *,
        area: str,
        title: str,
        url: str,
        description: str,
        published: date | str,
        body: str,
        force: str | None = None,
        fetched_at: str | None = None,
        time: str | None = None,
    ) -> Article:
        """A record in the five-key target schema."""
        published_str = format_date(published) if isinstance(published, date) else published
        meta = {
            "area": area,
            "og": {"description": description},
            "publish": {"date": published_str},
            "title": title,
            "url": url,
        }
        return cls(meta=meta, body=body, force=force, fetched_at=fetched_at, time=time)

    def get(self, dotted: str) -> Any:
        """A value by dotted path (``og.description``), or None."""
        return _get(self.meta, dotted)

    @property
    def area(self) -> str:
        return str(self.meta.get("area") or "")

    @property
    def url(self) -> str:
        return str(self.meta.get("url") or "")

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or "")

    @property
    def description(self) -> str:
        return str(self.get("og.description") or "")

    @property
    def published(self) -> date | None:
        """The publication date, when ``publish.date`` is in the target form."""
        value = self.get("publish.date")
        return parse_record_date(value) if isinstance(value, str) else None

    def missing_keys(self) -> list[str]:
        """The required keys that are absent or empty."""
        return [k for k in REQUIRED_KEYS if _get(self.meta, k) in (None, "")]

    def render(self) -> str:
        return render(self.meta, self.body)

    @property
    def content_hash(self) -> str:
        """sha1 of the file text: equal hashes mean byte-identical files."""
        return hashlib.sha1(self.render().encode("utf-8")).hexdigest()

    def relpath(self) -> Path:
        """``news/<area>/<sha1 of url>.md``, after checking the area is a safe folder name."""
        if not self.url:
            raise RecordError("a record needs a url to be named")
        return Path(NEWS_DIR, check_area(self.area), url_key(self.url) + ".md")


def parse(text: str) -> Article:
    """Parse a file's text back into a record (any nested keys, not only the five)."""
    if not text.startswith(OPEN_FENCE):
        raise RecordError("file does not start with a ```yaml fence")
    end = text.find("\n" + CLOSE_FENCE, len(OPEN_FENCE) - 1)
    if end < 0:
        raise RecordError("YAML block has no closing ``` fence")
    yaml_text = text[len(OPEN_FENCE) : end + 1]
    rest = text[end + 1 + len(CLOSE_FENCE) :]
    if not rest.startswith("\n"):
        raise RecordError("no blank line between the YAML block and the body")
    if not rest.endswith("\n"):
        raise RecordError("file does not end with a newline")
    try:
        meta = yaml.load(yaml_text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise RecordError(f"YAML block does not parse: {exc}") from exc
    if not isinstance(meta, dict):
        raise RecordError("YAML block is not a mapping")
    return Article(meta=meta, body=rest[1:-1])


def read(path: str | os.PathLike[str]) -> Article:
    """Read one record file."""
    with open(path, encoding="utf-8", newline="") as fh:
        return parse(fh.read())


def iter_files(out: str | os.PathLike[str]) -> Iterator[Path]:
    """Every record file under ``<out>/news``, in a stable order."""
    root = Path(out, NEWS_DIR)
    if not root.is_dir():
        return
    for area_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        yield from sorted(p for p in area_dir.iterdir() if p.suffix == ".md")


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


class WriteResult(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def atomic_write(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or chunks of them as they come) to ``path`` whole or not at all:
    temp file in the same folder, fsync, rename. A crash at any point leaves the old file or
    the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            # mkstemp makes 0600 files; records are for sharing: 0666 less the umask.
            os.fchmod(fh.fileno(), 0o666 & ~_UMASK)
            if isinstance(data, bytes):
                fh.write(data)
            else:
                fh.writelines(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class ArticleWriter:
    """Writes records under an output folder, atomically, never outside it."""

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.out = Path(out)
        self._root = self.out.resolve()

    def path_for(self, article: Article) -> Path:
        path = self.out / article.relpath()
        resolved = path.resolve()
        if self._root not in resolved.parents:
            raise UnsafePathError(f"record for {article.url!r} would be written outside {self.out}")
        return path

    def write(self, article: Article) -> tuple[Path, WriteResult]:
        """Write (or leave alone, when the bytes are already there) one record."""
        path = self.path_for(article)
        data = article.render().encode("utf-8")
        try:
            old = path.read_bytes()
        except FileNotFoundError:
            old = None
        if old == data:
            return path, WriteResult.UNCHANGED
        atomic_write(path, data)
        return path, WriteResult.NEW if old is None else WriteResult.UPDATED

    @staticmethod
    def clean_partials(out: str | os.PathLike[str]) -> int:
        """Remove temp files a killed run left behind; returns how many."""
        root = Path(out, NEWS_DIR)
        removed = 0
        if root.is_dir():
            for tmp in root.glob("*/.tmp-*.part"):
                tmp.unlink(missing_ok=True)
                removed += 1
        return removed
