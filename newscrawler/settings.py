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
RANDOMIZE_DOWNLOAD_DELAY = True
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

#: Overrides for crawling the local replica (tests, benchmarks): no politeness needed.
FAST = {
    "ROBOTSTXT_OBEY": False,
    "DOWNLOAD_DELAY": 0,
    "RANDOMIZE_DOWNLOAD_DELAY": False,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "RETRY_TIMES": 1,
    "LOG_LEVEL": "WARNING",
}

ITEM_PIPELINES = {
    "newscrawler.pipelines.DedupePipeline": 100,
    "newscrawler.pipelines.WriteRecordsPipeline": 800,
}

DOWNLOADER_MIDDLEWARES = {
    # After retries (550) have had their go: a host that stays unreachable ends its force.
    "newscrawler.middlewares.UnreachableHostMiddleware": 540,
}
