"""Why a page was not written: the reasons a run counts (``newscrawler/<force>/<reason>``).

Every failed fetch is counted once as ``failed`` and once under its reason, so a run report
can say what went wrong as well as how often. A page that arrives but must not be trusted
(empty, cut short, an error page served with 200) is refused here, before any parser sees it.
"""

from __future__ import annotations

import re

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.response import response_status_message
from twisted.internet.defer import CancelledError
from twisted.internet.error import (
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure
from twisted.web.client import ResponseFailed

#: Every reason, with what it means (for run reports and the README).
REASONS = {
    "server_error": "the site answered 5xx, also after retries",
    "rate_limited": "the site answered 429 after retries, or asked to wait longer than allowed",
    "not_found": "the site answered 404 or 410",
    "http_error": "another error status",
    "timeout": "no complete answer within DOWNLOAD_TIMEOUT, also after retries",
    "dropped": "the connection closed part way through the answer, also after retries",
    "too_large": "the answer is larger than DOWNLOAD_MAXSIZE",
    "empty": "status 200 with an empty page, also after retries",
    "truncated": "status 200 with HTML that stops part way (no closing tags), also after retries",
    "error_page": "status 200 with an error page (not found, unavailable…), also after retries",
    "redirect_loop": "redirects that come back to an address already visited, or too many",
    "offsite_redirect": "a redirect to another site: not followed",
    "offsite": "an address off the forces' sites (or, with mirrors, off the mirrors): never sent",
    "robots_denied": "the site's robots.txt forbids the address",
    "unreachable": "the host cannot be resolved or refuses connections",
    "malformed": "a page carrying an address urllib cannot read (http://[oops): not read",
    "output_unwritable": "the record could not be written (disk full, read-only): the run stopped",
    "record_error": "the page was read but its record could not be saved (the log says why)",
    "error": "any other failure",
}

#: Reasons an article's page would give again if asked at once (the site answered, and not
#: with a passing trouble): such a page waits like one that gave no record
#: (``NEWSCRAWLER_RETRY_NO_RECORD_DAYS``) instead of costing a request every run. The others
#: (5xx, 429, timeouts, dropped connections, unreachable hosts) are tried by the next run.
LASTING = frozenset(
    {
        "not_found",
        "http_error",
        "too_large",
        "empty",
        "truncated",
        "error_page",
        "redirect_loop",
        "offsite_redirect",
        "offsite",
        "robots_denied",
        "malformed",
    }
)


class BadPage(IgnoreRequest):
    """A request given up for a counted reason (one of :data:`REASONS`)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def failure_reason(failure: Failure) -> str:
    """The counted reason for a request's failure."""
    exc = failure.value
    if isinstance(exc, BadPage):
        return exc.reason
    if isinstance(exc, HttpError):
        status = exc.response.status
        if status == 429:
            return "rate_limited"
        if status in (404, 410):
            return "not_found"
        return "server_error" if status >= 500 else "http_error"
    if isinstance(exc, DownloadTimeoutError | TimeoutError | TCPTimedOutError):
        return "timeout"
    if isinstance(exc, ResponseDataLossError | ResponseFailed | ConnectionLost | ConnectionDone):
        return "dropped"
    if isinstance(exc, DownloadCancelledError | CancelledError):
        return "too_large"
    if isinstance(
        exc, CannotResolveHostError | DNSLookupError | ConnectionRefusedError | DownloadConnectionRefusedError
    ):
        return "unreachable"
    if isinstance(exc, IgnoreRequest) and "redirections" in str(exc):
        return "redirect_loop"  # Scrapy's REDIRECT_MAX_TIMES
    return "error"


def describe(failure: Failure) -> str:
    """A failure in words for the log and the run summary ("HTTP 503 Service Unavailable",
    not Scrapy's "Ignoring non-200 response")."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return f"HTTP {response_status_message(exc.response.status)}"
    return failure.getErrorMessage() or repr(exc)


_CLOSING = re.compile(rb"</(?:html|body)\s*>", re.I)
_SEGMENTS = re.compile(r"\s+[|\-–—:]\s+")
_ERROR_TEXT = re.compile(
    r"(?:error\s*)?(?:[45]\d\d\b\s*[:\-–]?\s*)?(?:"
    r"(?:page |file )?not found|page (?:cannot|can't|could not) be found|"
    r"(?:sorry,? )?(?:we|we're|we are) (?:can't|cannot|could not|unable to) find (?:that|this|the) page|"
    r"(?:the )?(?:service|site|website|page) (?:is )?(?:temporarily )?unavailable|"
    r"(?:internal )?server error|bad gateway|gateway time-?out|access denied|forbidden|"
    r"too many requests|(?:sorry,? )?something (?:has gone|went) wrong|"
    r"an error (?:has )?occurred|(?:site |website )?(?:down for|under) maintenance|error"
    r")?[.!]?",
    re.I,
)


def is_error_text(text: str) -> bool:
    """Whether a page title or heading is an error message ("Page not found | Kent Police",
    "503 Service Unavailable", "Sorry, something went wrong") rather than a headline."""
    for segment in _SEGMENTS.split(" ".join(text.split())):
        if segment and any(c.isalnum() for c in segment) and _ERROR_TEXT.fullmatch(segment):
            return True
    return False


def page_problem(response: Response, *, empty_ok: bool = False) -> str | None:
    """Why a 200 answer must not be used (``empty``, ``truncated``, ``error_page``), or None.

    An empty robots.txt is valid (it allows everything), so robots.txt is never refused; so is
    any answer asked for with ``empty_ok`` (an archive's index with no captures).
    """
    if response.status != 200 or response.url.endswith("/robots.txt"):
        return None
    if not response.body.strip():
        return None if empty_ok else "empty"
    if not isinstance(response, HtmlResponse):
        return None
    if _CLOSING.search(response.body) is None:
        return "truncated"
    title = response.css("title::text").get() or ""
    heading = response.xpath("string((//h1)[1])").get() or ""
    if is_error_text(title) or is_error_text(heading):
        return "error_page"
    return None
