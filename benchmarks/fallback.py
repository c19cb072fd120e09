"""Benchmark 2: the generic main-text fallback (``generic.main_content`` then the platform's
``to_markdown``) against ``trafilatura.extract`` on the 181 pages of
``../shared/extraction-benchmark`` (scrapinghub's article-extraction benchmark): body
precision, recall and F1 of 4-token shingles, macro-averaged as upstream.

The benchmark's ground truth is the body only. Title and date are scored where a page's own
metadata gives them (og:title or JSON-LD headline; article:published_time, JSON-LD
datePublished or microdata datePublished): that metadata is the truth, then it is hidden
(those ``<meta>``, every JSON-LD block, the microdata properties) and the base Platform's layered
extraction must find title and date in what is left (``<h1>``, ``<title>``, visible dates,
``<time>``), as it must on a police page without meta."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import html as lxml_html
from parsel import Selector
from scrapy.http import HtmlResponse

from benchmarks.common import EXTRACTION_BENCHMARK, Clock, have, log, prf, tp_fp_fn
from newscrawler.dates import parse_date
from newscrawler.forces import Force, Site, registry
from newscrawler.platforms import generic
from newscrawler.platforms.base import NotAnArticle, Platform, clean_text


def load_pages(folder: Path, limit: int | None = None) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    truth: dict[str, dict[str, str]] = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit] if limit else sorted(truth)
    pages = {
        k: gzip.decompress((folder / "html" / f"{k}.html.gz").read_bytes()).decode("utf-8", "replace")
        for k in keys
    }
    return pages, {k: truth[k] for k in keys}


def _any_platform() -> Platform:
    """A platform to call ``to_markdown`` on: the base class's conversion, as the fallback
    layer uses it (the force is irrelevant to the body)."""
    force = next(iter(registry()))
    return Platform(force, force.sites[0])


def ours(platform: Platform, html: str) -> str:
    node = generic.main_content(Selector(text=html))
    return platform.to_markdown(node) if node is not None else ""


def trafilatura_text(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


#: <meta> names that carry a title or a date (hidden before the title and date are scored).
_TELLING_META = re.compile(r"title|headline|date|time|published|modified|created|issued", re.I)
_MICRODATA = frozenset({"headline", "name", "datePublished", "dateModified", "dateCreated"})


def _json_ld(sel: Selector) -> Iterator[dict[str, Any]]:
    """Every object of the page's JSON-LD blocks (lists and @graph opened)."""
    for raw in sel.css('script[type="application/ld+json"]::text').getall():
        try:
            stack = [json.loads(raw)]
        except ValueError:
            continue
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                stack.extend(v for k, v in item.items() if k == "@graph")


def _comparable(title: str) -> str:
    return (
        clean_text(title).casefold().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    )


def metadata_truth(page: str) -> tuple[frozenset[str], date | None]:
    """The titles (og:title, twitter:title, JSON-LD headline; each also without a trailing
    " - og:site_name") and the publication date a page's own metadata states, compared
    case-insensitively; an empty set or None where it states none."""
    sel = Selector(text=page)
    objects = list(_json_ld(sel))
    stated = [
        sel.css('meta[property="og:title"]::attr(content)').get(),
        sel.css('meta[name="twitter:title"]::attr(content)').get(),
        *(o["headline"] for o in objects if isinstance(o.get("headline"), str)),
    ]
    site_name = _comparable(sel.css('meta[property="og:site_name"]::attr(content)').get() or "")
    titles = set()
    for title in filter(None, map(_comparable, filter(None, stated))):
        titles.add(title)
        if site_name:
            titles.add(re.sub(rf"\s*[|\-–—:]\s*{re.escape(site_name)}$", "", title))
    stamp = (
        sel.css('meta[property="article:published_time"]::attr(content)').get()
        or next((o["datePublished"] for o in objects if isinstance(o.get("datePublished"), str)), None)
        or sel.css(
            '[itemprop="datePublished"]::attr(content), [itemprop="datePublished"]::attr(datetime)'
        ).get()
    )
    try:
        day = date.fromisoformat(stamp.strip()[:10]) if stamp else None
    except ValueError:
        day = None
    # "0001-01-01" is a template's placeholder (five pages), not a date the page states.
    return frozenset(titles), day if day and day.year >= 1990 else None


def hide_metadata(page: str) -> str:
    """The page without what states its title and date for machines: the <meta> tags naming
    a title or date, every JSON-LD block, the microdata properties headline/date*."""
    root = lxml_html.document_fromstring(page)
    for el in list(root.iter("meta", "script")):
        if el.tag == "script":
            drop = el.get("type") == "application/ld+json"
        else:
            names = " ".join(el.get(a) or "" for a in ("name", "property", "itemprop", "http-equiv"))
            drop = bool(_TELLING_META.search(names))
        if drop:
            el.drop_tree()
    for el in root.xpath("//*[@itemprop]"):
        if el.get("itemprop") in _MICRODATA:
            del el.attrib["itemprop"]
    return str(lxml_html.tostring(root, encoding="unicode"))


class _AnyPage(Platform):
    """The base Platform's extraction, with every address of the page's site an article."""

    article_path = re.compile("")


def _platform_for_page(url: str) -> Platform:
    parts = urlsplit(url)
    site = Site(platform="generic", origin=f"{parts.scheme}://{parts.netloc}", since=2000)
    return _AnyPage(Force(area="Benchmark", slug="benchmark", name="Benchmark site", sites=(site,)), site)


def title_and_date(page: str, url: str) -> tuple[str | None, date | None]:
    """The title and date our layered extraction and normalisation give for a page."""
    platform = _platform_for_page(url)
    try:
        ex = platform.extract(HtmlResponse(url=url, body=page.encode("utf-8"), encoding="utf-8"))
    except NotAnArticle:
        return None, None
    title = platform.clean_title(ex.title) if ex.title else None
    day = parse_date(ex.date_text, url) if ex.date_text else None
    if day is None:
        day = platform.strip_date_blocks(ex.body, url, title or "")[1]
    return title, day


def metadata_scores(pages: dict[str, str], truth: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Title and date from each page with its metadata hidden, against that metadata: per field,
    pages with a truth (coverage), exact, wrong (another value), missing (none found)."""
    fields: dict[str, dict[str, Any]] = {
        f: {"pages": 0, "exact": 0, "wrong": 0, "day_off": 0, "missing": 0, "examples": []}
        for f in ("title", "date")
    }
    for key, page in pages.items():
        titles, day = metadata_truth(page)
        if not titles and day is None:
            continue
        url = truth[key].get("url", "")
        title, found = title_and_date(hide_metadata(page), url)
        scored = (
            (
                "title",
                bool(titles),
                title,
                title is not None and _comparable(title) in titles,
                sorted(titles),
            ),
            ("date", day is not None, found, found == day, day),
        )
        for name, has_truth, value, right, stated in scored:
            if not has_truth:
                continue
            counts = fields[name]
            counts["pages"] += 1
            if value is None:
                counts["missing"] += 1
            elif right:
                counts["exact"] += 1
            else:
                counts["wrong"] += 1
                # The page's own (local) date of an evening story against a UTC stamp.
                if name == "date" and isinstance(value, date) and abs((value - stated).days) == 1:
                    counts["day_off"] += 1
                if len(counts["examples"]) < 5:
                    counts["examples"].append(f"{url}: {value!s} (metadata: {stated!s})")
    for counts in fields.values():
        counts["accuracy"] = counts["exact"] / counts["pages"] if counts["pages"] else 0.0
    return {"pages": len(pages), **fields}


def run(folder: Path = EXTRACTION_BENCHMARK, limit: int | None = None) -> dict[str, Any]:
    pages, truth = load_pages(folder, limit)
    platform = _any_platform()
    with_baseline = have("trafilatura")
    if not with_baseline:
        log("fallback: trafilatura does not import (pip install -e '.[bench]'): no baseline")
    log(
        f"fallback: {len(pages)} pages of {folder.name}, ours" + (" and trafilatura" if with_baseline else "")
    )
    clock = Clock()
    mine: dict[str, str] = {}
    theirs: dict[str, str] = {}
    for key, html in pages.items():
        with clock.timing("ours"):
            mine[key] = ours(platform, html)
        if with_baseline:
            with clock.timing("trafilatura"):
                theirs[key] = trafilatura_text(html, truth[key].get("url", ""))
    result: dict[str, Any] = {
        "pages": len(pages),
        "seconds": dict(clock.seconds),
        "ours": prf((truth[k]["articleBody"], mine[k]) for k in pages).as_dict(),
    }
    with clock.timing("title_and_date"):
        result["title_and_date"] = metadata_scores(pages, truth)
    if with_baseline:
        result["trafilatura"] = prf((truth[k]["articleBody"], theirs[k]) for k in pages).as_dict()
        result["f1_difference"] = result["ours"]["f1"] - result["trafilatura"]["f1"]
        result["speed_ratio"] = clock.seconds["trafilatura"] / clock.seconds["ours"]
        # Where we lose most against trafilatura (for the notes and for work on generic.py).
        worst = []
        for k in pages:
            a, b = tp_fp_fn(truth[k]["articleBody"], mine[k]), tp_fp_fn(truth[k]["articleBody"], theirs[k])
            worst.append((a[0] - b[0], k, truth[k].get("url", "")))
        result["worst"] = [f"{k[:12]} {url} (shingle TP share {d:+.2f})" for d, k, url in sorted(worst)[:5]]
    return result


if __name__ == "__main__":  # pragma: no cover - a quick look by hand
    print(json.dumps(run(), indent=2))
