"""``python -m benchmarks.patched PATCH[,PATCH] -- crawl ARGS…``: the crawl command with changes
to files the benchmarks do not own applied in memory, to measure a proposed change before it
is made (BENCHMARKS.md reports the gain; the change itself is proposed as a diff).

Patches:

- ``no-file-fsync``: ``record.atomic_write`` without its ``os.fsync`` (the temp file and the
  rename stay: a killed process still leaves the old file or the new one, never a part; only
  a power cut could lose the last records, which the next run fetches again).
- ``plain-selector``: ``response.selector`` a plain parsel ``Selector`` instead of Scrapy's
  subclass, which records every selector object it makes (``trackref``); a page's extraction
  makes some 35 of them.
- ``sqlite-normal``: the state database at ``PRAGMA synchronous=NORMAL`` (WAL mode: commits are
  still atomic and survive a killed process; a power cut may lose the last ones).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def _atomic_write_no_fsync(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def apply(names: list[str]) -> None:
    for name in names:
        if name == "no-file-fsync":
            from newscrawler import record

            record.atomic_write = _atomic_write_no_fsync  # type: ignore[assignment]
        elif name == "sqlite-normal":
            from newscrawler import state

            opened = state.State.open.__func__  # type: ignore[attr-defined]

            def open_normal(cls: Any, *args: Any, _opened: Any = opened, **kwargs: Any) -> Any:
                st = _opened(cls, *args, **kwargs)
                st._conn.execute("PRAGMA synchronous=NORMAL")
                return st

            state.State.open = classmethod(open_normal)  # type: ignore[assignment,method-assign]
        elif name == "plain-selector":
            plain_selector(True)
        elif name:
            raise SystemExit(f"unknown patch {name!r}")


_SCRAPY_SELECTOR: Any = None


def plain_selector(on: bool) -> None:
    """``TextResponse.selector`` as a plain parsel Selector (on) or Scrapy's own (off)."""
    global _SCRAPY_SELECTOR
    import parsel
    from scrapy.http import TextResponse

    if _SCRAPY_SELECTOR is None:
        _SCRAPY_SELECTOR = TextResponse.selector

    def selector(self: Any) -> Any:
        if self._cached_selector is None:
            self._cached_selector = parsel.Selector(text=self.text, type="html", base_url=self.url)
        return self._cached_selector

    TextResponse.selector = property(selector) if on else _SCRAPY_SELECTOR  # type: ignore[method-assign]


def main() -> int:
    if len(sys.argv) < 3 or sys.argv[2] != "--":
        raise SystemExit(__doc__)
    apply(sys.argv[1].split(","))
    from newscrawler.cli import main as cli

    return cli(sys.argv[3:])


if __name__ == "__main__":
    sys.exit(main())
