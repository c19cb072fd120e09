"""Check an output folder: every record file is one the crawler could have written.

A data set is only worth publishing if each file parses, carries the five keys with a date in
the record's form, sits where its url and area say (``news/<area>/<sha1 of url>.md``), no
article is there twice under two spellings of its address, and the state (when there is one)
agrees with the files. Each problem is one line, so a script or a person can act on it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newscrawler.record import NEWS_DIR, RecordError, iter_files, read, url_key
from newscrawler.state import STATE_FILE, State

# Query parameters that only say where a reader came from, never which article it is.
_TRACKING = ("utm_", "fbclid", "gclid")


def canonical_url(url: str) -> str:
    """The key two addresses of the same article share: no scheme, no ``www.``, no fragment,
    no tracking parameters, no empty query or trailing slash, the path percent-decoded.

    Looser than the crawler's own link cleaning on purpose: the public archive holds the same
    Met article as ``…-418381`` and ``…-418381#related``, and a Hertfordshire one with and
    without a trailing ``?``. The path's case is kept: on some sites it names another page.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    path = unquote(parts.path).rstrip("/")
    query = "&".join(q for q in parts.query.split("&") if q and not q.lower().startswith(_TRACKING))
    return f"{host}{path}?{query}" if query else f"{host}{path}"


def check_file(path: Path, rel: str) -> tuple[str | None, list[str]]:
    """The url of one record file (None when it has none) and its problems."""
    try:
        article = read(path)
    except (OSError, UnicodeDecodeError, RecordError) as exc:
        return None, [f"{rel}: does not parse: {exc}"]
    problems = []
    missing = article.missing_keys()
    if missing:
        problems.append(f"{rel}: missing {', '.join(missing)}")
    shown = article.get("publish.date")
    if shown not in (None, "") and article.published is None:
        problems.append(f"{rel}: publish.date {shown!r} is not a date in the form '5 Jan 2021'")
    if article.url and path.stem != url_key(article.url):
        problems.append(f"{rel}: name is not sha1 of its url (should be {url_key(article.url)}.md)")
    if article.area and path.parent.name != article.area:
        problems.append(f"{rel}: in folder {path.parent.name!r} but its area is {article.area!r}")
    return article.url or None, problems


def validate(out: str | os.PathLike[str]) -> Iterator[str]:
    """Every problem of an output folder, one line each (none when it is sound)."""
    out = Path(out)
    if not (out / NEWS_DIR).is_dir():
        yield f"{out}: no {NEWS_DIR}/ folder, so no records to check"
        return
    first_for: dict[str, str] = {}  # canonical url -> the first file that holds it
    for path in iter_files(out):
        rel = path.relative_to(out).as_posix()
        url, problems = check_file(path, rel)
        yield from problems
        if url:
            other = first_for.setdefault(canonical_url(url), rel)
            if other != rel:
                yield f"{rel}: the same article as {other} ({url})"
    if (out / STATE_FILE).exists():
        with State.open_readonly(out) as state:
            yield from state.check()
