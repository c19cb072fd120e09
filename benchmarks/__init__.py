"""newscrawler's benchmarks: ``python -m benchmarks`` (see ``python -m benchmarks --help``).

Every figure is a ratio against a baseline run in the same script on the same machine
(trafilatura, ``scrapy bench``, a smaller crawl), since absolute times on a shared machine
drift. The results go to ``BENCHMARKS.md`` and ``results.json``.
"""
