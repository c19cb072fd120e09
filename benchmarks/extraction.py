"""Benchmark 1: our platform parsers against ``trafilatura.extract`` on replica pages of real
records: pages per second (including the Markdown bodies), and field accuracy against the
expected records (exact match, and 4-word-shingle F1 per field).

The pages are fetched from a replica once and kept in memory; both extractors then run on the
same bytes, in alternating chunks so that the machine's drifting load falls on both alike.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml
from scrapy.http import HtmlResponse

from benchmarks import corpus
from benchmarks.common import Clock, chunks, have, log, prf
from newscrawler.dates import format_date
from newscrawler.platforms.base import ExtractionError, NotAnArticle

FIELDS = ("title", "date", "description", "body")


@dataclass
class Page:
    record: corpus.Servable
    html: bytes


def fetch_pages(records: Sequence[corpus.Servable]) -> list[Page]:
    """Each record's page, as the replica serves it."""
    server = corpus.serve(r.article for r in records)
    with server:
        fetcher = corpus.PageFetcher(server)
        try:
            return [Page(r, fetcher.get(r.site, r.article.url)) for r in records]
        finally:
            fetcher.close()


def fields_of_record(article: Any) -> dict[str, str]:
    return {
        "title": article.title,
        "date": str(article.get("publish.date") or ""),
        "description": article.description,
        "body": article.body,
    }


def ours(page: Page) -> dict[str, str] | None:
    """Our parser, as the spider runs it: the platform's parse of the response."""
    platform = corpus.platform_of(page.record.force, page.record.site)
    try:
        article = platform.parse(HtmlResponse(url=page.record.article.url, body=page.html))
    except (ExtractionError, NotAnArticle):
        return None
    return fields_of_record(article)


def trafilatura_markdown(page: Page) -> str | None:
    import trafilatura

    result: str | None = trafilatura.extract(
        page.html, url=page.record.article.url, output_format="markdown", with_metadata=True
    )
    return result


def trafilatura_fields(output: str | None) -> dict[str, str] | None:
    """Title, date, description and body of trafilatura's Markdown with its metadata header
    (the date in the record's own form, so the two compare)."""
    if output is None:
        return None
    meta: dict[str, Any] = {}
    body = output
    if output.startswith("---\n"):
        head, sep, rest = output[4:].partition("\n---\n")
        if sep:
            try:
                loaded = yaml.safe_load(head)
            except yaml.YAMLError:
                loaded = None
            meta = loaded if isinstance(loaded, dict) else {}
            body = rest
    when = meta.get("date")
    try:
        day = when if isinstance(when, date) else date.fromisoformat(str(when)) if when else None
    except ValueError:
        day = None
    return {
        "title": str(meta.get("title") or ""),
        "date": format_date(day) if day else "",
        "description": str(meta.get("description") or ""),
        "body": body.strip("\n"),
    }


def accuracy(pages: Sequence[Page], results: Sequence[dict[str, str] | None]) -> dict[str, Any]:
    """Per field: the share of pages whose value is exactly the expected one, and the shingle
    P/R/F1 (a page that gave nothing counts as empty fields)."""
    out: dict[str, Any] = {}
    for name in FIELDS:
        pairs = []
        exact = 0
        for page, got in zip(pages, results, strict=True):
            assert page.record.expected is not None
            want = fields_of_record(page.record.expected)[name]
            value = got[name] if got else ""
            exact += value == want
            pairs.append((want, value))
        out[name] = {"exact": exact / len(pages) if pages else 0.0, **prf(pairs).as_dict()}
    out["all_exact"] = (
        sum(
            1
            for page, got in zip(pages, results, strict=True)
            if got and got == fields_of_record(page.record.expected)
        )
        / len(pages)
        if pages
        else 0.0
    )
    out["failed"] = sum(1 for r in results if r is None)
    return out


def run(records: Sequence[corpus.Servable], n: int, chunk: int = 50) -> dict[str, Any]:
    chosen = corpus.sample(records, n, accurate_only=True, by_platform=True)
    log(f"extraction: fetching {len(chosen)} pages from a replica")
    pages = fetch_pages(chosen)
    with_baseline = have("trafilatura")
    # Warm both up (imports, caches) outside the timing.
    for page in pages[:10]:
        ours(page)
        if with_baseline:
            trafilatura_markdown(page)
    clock = Clock()
    our_results: list[dict[str, str] | None] = []
    raw: list[str | None] = []
    log(f"extraction: parsing {len(pages)} pages with ours and trafilatura, alternating chunks of {chunk}")
    for part in chunks(pages, chunk):
        with clock.timing("ours"):
            our_results.extend(ours(p) for p in part)
        if with_baseline:
            with clock.timing("trafilatura"):
                raw.extend(trafilatura_markdown(p) for p in part)
    their_results = [trafilatura_fields(r) for r in raw]
    platforms = sorted({p.record.site.platform for p in pages})
    result: dict[str, Any] = {
        "pages": len(pages),
        "pages_per_platform": {
            name: sum(p.record.site.platform == name for p in pages) for name in platforms
        },
        "forces": len({p.record.force.slug for p in pages}),
        "html_bytes": sum(len(p.html) for p in pages),
        "seconds": dict(clock.seconds),
        "ours": {
            "pages_per_second": len(pages) / clock.seconds["ours"],
            "accuracy": accuracy(pages, our_results),
            "by_platform": {
                name: accuracy(
                    [p for p in pages if p.record.site.platform == name],
                    [r for p, r in zip(pages, our_results, strict=True) if p.record.site.platform == name],
                )
                for name in platforms
            },
        },
    }
    if with_baseline:
        result["trafilatura"] = {
            "pages_per_second": len(pages) / clock.seconds["trafilatura"],
            "accuracy": accuracy(pages, their_results),
        }
        result["speed_ratio"] = clock.seconds["trafilatura"] / clock.seconds["ours"]
    result["examples_of_misses"] = misses(pages, our_results)
    return result


def misses(pages: Sequence[Page], results: Sequence[dict[str, str] | None], limit: int = 8) -> list[str]:
    """A few of our inexact fields, for the notes."""
    found = []
    for page, got in zip(pages, results, strict=True):
        assert page.record.expected is not None
        want = fields_of_record(page.record.expected)
        if got is None:
            found.append(f"{page.record.article.url}: not extracted")
        else:
            bad = [k for k in FIELDS if got[k] != want[k]]
            if bad:
                found.append(f"{page.record.article.url}: {', '.join(bad)}")
        if len(found) >= limit:
            break
    return found


if __name__ == "__main__":  # pragma: no cover - a quick look by hand
    import json
    import sys

    recs = corpus.load(sys.argv[1] if len(sys.argv) > 1 else corpus.default_source())
    print(json.dumps(run(recs, int(os.environ.get("N", "200"))), indent=2, default=str))
