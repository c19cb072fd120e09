"""What every benchmark shares: the shingle metric, the machine and versions, timing helpers.

The body metric is the one of scrapinghub/article-extraction-benchmark (re-implemented here
from its description): 4-token shingles over ``\\w+`` tokens, per document TP/FP/FN counted
over shingle multisets and normalised to sum 1, precision and recall averaged over the
documents, F1 from the two averages.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
ARCHIVE = SHARED / "police-news" / "police-news.tar.xz"
EXTRACTION_BENCHMARK = SHARED / "extraction-benchmark"

#: A word is letters and digits: Markdown's "_emphasis_" marks are no part of it (the ground
#: truths are plain text, as trafilatura writes; "\w" would count "_Star" as another word).
_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str | None) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    """The multiset of n-token shingles (a text shorter than n is one shingle)."""
    words = tokens(text)
    return Counter(tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)) if words[i : i + n])


def tp_fp_fn(true: str | None, pred: str | None, n: int = 4) -> tuple[float, float, float]:
    """Shingle TP/FP/FN of one document, normalised to sum 1 (long texts weigh no more)."""
    t, p = shingles(true, n), shingles(pred, n)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


@dataclass
class PRF:
    precision: float
    recall: float
    f1: float
    documents: int

    def as_dict(self) -> dict[str, float]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "documents": self.documents,
        }


def prf(pairs: Iterable[tuple[str | None, str | None]]) -> PRF:
    """Macro precision/recall over documents (true, predicted), F1 from the averages. As in
    the upstream script, a document with nothing predicted counts for recall only, and one with
    nothing true for precision only."""
    counts = [tp_fp_fn(t, p) for t, p in pairs]
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1, len(counts))


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def have(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def machine() -> dict[str, Any]:
    """Where the figures were measured."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.1f} GiB"
    except (ValueError, OSError, AttributeError):
        memory = "?"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit, dirty = "?", ""
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "versions": {
            name: version(name)
            for name in (
                "newscrawler",
                "scrapy",
                "twisted",
                "lxml",
                "parsel",
                "html2text",
                "trafilatura",
                "py-spy",
            )
        },
    }


@dataclass
class Clock:
    """Accumulated time of labelled work, for interleaved comparisons: A and B measured in
    alternating chunks, so drift in the machine's load falls on both alike."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timing(self, label: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - start


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
