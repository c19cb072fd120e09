"""Benchmark 2: the generic main-text fallback (``generic.main_content`` then the platform's
``to_markdown``) against ``trafilatura.extract`` on the 181 pages of
``../shared/extraction-benchmark`` (scrapinghub's article-extraction benchmark): body
precision, recall and F1 of 4-token shingles, macro-averaged as upstream."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from parsel import Selector

from benchmarks.common import EXTRACTION_BENCHMARK, Clock, have, log, prf, tp_fp_fn
from newscrawler.forces import registry
from newscrawler.platforms import generic
from newscrawler.platforms.base import Platform


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


def run(folder: Path = EXTRACTION_BENCHMARK, limit: int | None = None) -> dict[str, Any]:
    pages, truth = load_pages(folder, limit)
    platform = _any_platform()
    with_baseline = have("trafilatura")
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
