"""Stop the run when the output folder stops taking files (disk full, read-only, no permission),
and count every record that could not be saved as a failure of its force.

Without this, every record after the disk fills fails on its own and the run goes on fetching
pages it cannot keep. Records are written whole or not at all (``record.atomic_write``), so a
stopped run leaves no partial file, and the next run picks up what this one could not write.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import sys
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

log = logging.getLogger("newscrawler")

#: The finish reason of a run stopped this way (``runs/<start>.json``, Scrapy stats).
REASON = "output_unwritable"
#: The counted reason of a record a pipeline failed to save for any other cause (a bug, a
#: folder where the file should be): the run goes on, and its exit status says so.
RECORD_ERROR = "record_error"
_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}
)
_SQLITE = ("full", "readonly", "read-only", "disk i/o", "unable to open")
#: A signal for the folder's other writers (the WARC writer): send it with ``error=`` (an
#: exception that :func:`is_output_failure`) and ``what=`` (what could not be written).
output_error = object()


def is_output_failure(exc: BaseException) -> bool:
    """Whether an error writing a record means the output folder cannot take more files."""
    if isinstance(exc, OSError):
        return exc.errno in _ERRNOS
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return any(word in text for word in _SQLITE)
    return False


class OutputGuard:
    """Extension: at the first record that cannot be written for want of space or
    permission, say so on stderr (the log file may be on the same full disk) and close the
    spider with reason ``output_unwritable``. Each record not written counts as ``failed``
    and ``output_unwritable`` (or ``record_error``, for any other error) for its force."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OutputGuard:
        guard = cls(crawler)
        crawler.signals.connect(guard.item_error, signal=signals.item_error)
        crawler.signals.connect(guard.stop, signal=output_error)
        return guard

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Failure) -> None:
        """Every record a pipeline could not save is a failure of its force; one that failed
        for want of space or permission also stops the run."""
        assert self.crawler.stats is not None
        force = getattr(item, "force", None) or "unknown"
        error = failure.value
        unwritable = error is not None and is_output_failure(error)
        self.crawler.stats.inc_value(f"newscrawler/{force}/failed")
        self.crawler.stats.inc_value(f"newscrawler/{force}/{REASON if unwritable else RECORD_ERROR}")
        if error is not None and unwritable:
            self.stop(error, "records")

    def stop(self, error: BaseException, what: str) -> None:
        """Close the spider, once, saying why (a record or a WARC file that cannot be written)."""
        assert self.crawler.stats is not None and self.crawler.engine is not None
        if self.stopping:
            return
        self.stopping = True
        out = self.crawler.settings.get("NEWSCRAWLER_OUT")
        why = error.strerror if isinstance(error, OSError) else None
        message = (
            f"newscrawler: stopped: cannot write {what} to {out}: {(why or str(error)).lower()}. "
            "Records already written are whole, and no partial file was left. Free space or "
            "make the folder writable, then run again: the next run writes what this one could not."
        )
        print(message, file=sys.stderr, flush=True)
        log.error(message)
        self.crawler.stats.set_value("newscrawler/output_error", str(error))
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=REASON))
