"""Scrapy settings: every default of the project in one place.

Polite by default for real runs: robots.txt obeyed, an honest User-Agent with a contact URL,
one request at a time per host with a delay, AutoThrottle. Tests turn politeness off for the
local replica with ``-s`` overrides (see ``newscrawler.settings.FAST``).
"""

from __future__ import annotations

from newscrawler import __version__

BOT_NAME = "newscrawler"
SPIDER_MODULES = ["newscrawler.spiders"]
NEWSPIDER_MODULE = "newscrawler.spiders"

PROJECT_URL = "https://github.com/newscrawler/newscrawler"
USER_AGENT = f"newscrawler/{__version__} (+{PROJECT_URL}; archive of UK police news)"

# Politeness.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16  # across hosts: several forces are crawled side by side
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5  # ±50%
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Robustness.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Scrapy's list less CannotResolveHostError: a name that does not resolve will not a second
# later, and the force ends at once with that message (the next scheduled run tries again).
RETRY_EXCEPTIONS = [
    "scrapy.exceptions.DownloadConnectionRefusedError",
    "scrapy.exceptions.DownloadFailedError",
    "scrapy.exceptions.DownloadTimeoutError",
    "scrapy.exceptions.ResponseDataLossError",
    "twisted.internet.error.ConnectionDone",
    "twisted.internet.error.ConnectError",
    "twisted.internet.error.ConnectionLost",
    OSError,  # an empty response that fails to decompress
    "scrapy.core.downloader.handlers.http11.TunnelError",
]
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# Modern Scrapy.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# The project's own settings (defaults; override with -s NAME=VALUE).
NEWSCRAWLER_OUT = "data"  # where records, state, runs and logs go
NEWSCRAWLER_MIRRORS: dict[str, str] = {}  # force origin -> address actually fetched
NEWSCRAWLER_MAX_PAGES_PER_LISTING = 1000  # bound on pagination per listing
NEWSCRAWLER_REVISIT_DAYS = 14  # known articles this young are fetched again (conditionally)
NEWSCRAWLER_RETRY_NO_RECORD_DAYS = 7  # a page that gave no record is fetched again after this
NEWSCRAWLER_FULL = False  # True: ignore the state, read every listing to the end
NEWSCRAWLER_PROGRESS = "auto"  # auto: live on a terminal, plain lines elsewhere | plain | quiet
NEWSCRAWLER_VERBOSE = False  # also show the crawl's warnings and each article as they happen
CLOSESPIDER_TIMEOUT = 6 * 3600  # a scheduled run never runs into the next one
# Retries (newscrawler.middlewares.RetryMiddleware): the first waits this many seconds, each
# next one twice as long, at most _MAX; a Retry-After longer than _AFTER_MAX is not waited for.
NEWSCRAWLER_RETRY_BACKOFF = 2.0
NEWSCRAWLER_RETRY_BACKOFF_MAX = 60.0
NEWSCRAWLER_RETRY_AFTER_MAX = 300.0
# Raw capture (newscrawler/warc.py): every response into <out>/warc/*.warc.gz, a new file
# once one reaches _MAX_SIZE bytes (1 GB, the web archives' usual size).
NEWSCRAWLER_WARC = True
NEWSCRAWLER_WARC_MAX_SIZE = 1_000_000_000

#: Overrides for crawling the local replica (tests, benchmarks): no politeness needed.
FAST = {
    "ROBOTSTXT_OBEY": False,
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_DELAY_JITTER": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "RETRY_TIMES": 1,
    "NEWSCRAWLER_RETRY_BACKOFF": 0.05,
    "LOG_LEVEL": "WARNING",
}

#: One request at a time in all: a back-fill's every request goes to the one archive.
ONE_AT_A_TIME = {"CONCURRENT_REQUESTS": 1, "CONCURRENT_REQUESTS_PER_DOMAIN": 1}
#: Back-fills from a web archive (``newscrawler backfill``): one request at a time, 2 s apart
#: (±50%, longer when AutoThrottle sees the archive slow down), under the 60 requests a minute
#: the Internet Archive's CDX API is reported to allow; retries back off and obey Retry-After
#: as in a crawl. robots.txt is the archived site's business, not the archive's: not asked for.
ARCHIVE = {**ONE_AT_A_TIME, "ROBOTSTXT_OBEY": False, "DOWNLOAD_DELAY": 2.0}

ITEM_PIPELINES = {
    "newscrawler.pipelines.DedupePipeline": 100,
    "newscrawler.runs.StatePipeline": 300,  # file + state row, in a kill-safe order
    "newscrawler.pipelines.PrintRecordsPipeline": 800,  # only with NEWSCRAWLER_OUT = "-"
}
EXTENSIONS = {
    # The output folder's lock, the run's row in the state, data/runs/<start>.json.
    "newscrawler.runs.RunExtension": 0,
    # A full or read-only output folder stops the run at once, with a clear message.
    "newscrawler.outputguard.OutputGuard": 0,
    # Live progress on a terminal, plain lines elsewhere, a summary table (progress.py).
    "newscrawler.progress.CrawlProgress": 500,
}

DOWNLOADER_MIDDLEWARES = {
    # What happens when a site misbehaves (README; newscrawler/middlewares.py). Responses pass
    # from the highest number to the lowest: redirects are checked before Scrapy follows them,
    # charsets fixed and pages checked after decompression.
    # First: no request leaves the chosen forces' sites (or their mirrors), whatever named
    # it. Scrapy's offsite middleware (allowed_domains) is replaced by it.
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "newscrawler.middlewares.SiteGuardMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newscrawler.middlewares.RobotsTxtMiddleware": 100,
    # After retries (550) have had their go: a host that stays unreachable ends its force.
    "newscrawler.middlewares.UnreachableHostMiddleware": 540,
    # If-None-Match / If-Modified-Since for articles revisited within the window.
    "newscrawler.runs.ConditionalRequestMiddleware": 580,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newscrawler.middlewares.RetryMiddleware": 550,
    "newscrawler.middlewares.CharsetMiddleware": 560,
    "newscrawler.middlewares.RedirectGuardMiddleware": 610,
    # Nearest the network: responses as received (still compressed, before redirects,
    # retries and charset repair), requests as sent, into WARC files.
    "newscrawler.warc.WarcMiddleware": 900,
}
