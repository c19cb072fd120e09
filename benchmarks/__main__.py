"""``python -m benchmarks [--quick]``: run every benchmark, write BENCHMARKS.md and results.json.

The full run (by hand, not in CI; 8 to 30 minutes on the 2-core machine, as loaded) writes into
``benchmarks/``; ``--quick`` runs the same code on tiny inputs (the test suite's sample of
records, ten benchmark pages, crawls of a few dozen articles) into a temporary folder, to keep
the code working; its figures mean nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import backfill, corpus, crawl, extraction, fallback, report, variants
from benchmarks.common import EXTRACTION_BENCHMARK, ROOT, log, machine

FULL = {
    "extraction": 2000,
    "fallback": None,
    "large": 40000,
    "small": 5000,
    "profile": 2000,
    "bench": 10,
    "variants": 2000,
    "variant_seeds": 5,
    "backfill": 2000,
}
QUICK = {
    "extraction": 24,
    "fallback": 8,
    "large": 60,
    "small": 30,
    "profile": 30,
    "bench": 2,
    "variants": 44,
    "variant_seeds": 2,
    "backfill": 20,
}
PARTS = ("extraction", "fallback", "crawl", "variants", "backfill")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    p.add_argument("--quick", action="store_true", help="tiny inputs, a minute or so: checks the code")
    p.add_argument(
        "--records",
        type=Path,
        help="records to build replicas from: a folder holding news/<Area>/*.md or the .tar.xz "
        "archive (default: ../shared/police-news/police-news.tar.xz; --quick: tests/data/records)",
    )
    p.add_argument("--pages", type=Path, default=EXTRACTION_BENCHMARK, help="the extraction benchmark folder")
    p.add_argument("--out", type=Path, help="where BENCHMARKS.md and results.json go (default: benchmarks/)")
    p.add_argument("--only", action="append", choices=PARTS, help="run only these parts (repeatable)")
    p.add_argument("--keep", type=Path, help="keep the crawls' folders, logs and raw profile here")
    p.add_argument(
        "--render",
        type=Path,
        metavar="RESULTS_JSON",
        help="only write BENCHMARKS.md again from a run's results.json (after editing the notes)",
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.render:
        results = json.loads(args.render.read_text(encoding="utf-8"))
        target = (args.out or args.render.parent) / "BENCHMARKS.md"
        target.write_text(report.render(results), encoding="utf-8")
        log(f"wrote {target}")
        return 0
    sizes = QUICK if args.quick else FULL
    out = args.out or (
        Path(tempfile.mkdtemp(prefix="benchmarks-quick-")) if args.quick else ROOT / "benchmarks"
    )
    out.mkdir(parents=True, exist_ok=True)
    source = args.records or (ROOT / "tests" / "data" / "records" if args.quick else corpus.default_source())
    parts = args.only or list(PARTS)
    command = "python -m benchmarks" + (" --quick" if args.quick else "")
    started = time.time()
    results: dict[str, Any] = {
        "command": command,
        "quick": args.quick,
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime(started)),
        "machine": machine(),
        "sizes": sizes,
        "source": str(source),
        "load_average_start": os.getloadavg(),
    }
    if "extraction" in parts or "crawl" in parts or "variants" in parts or "backfill" in parts:
        log(f"loading records from {source}")
        records = corpus.load(source)
        results["records_servable"] = len(records)
    if "extraction" in parts:
        results["extraction"] = extraction.run(records, sizes["extraction"])
    if "variants" in parts:
        results["variants"] = variants.run(records, sizes["variants"], sizes["variant_seeds"])
    if "fallback" in parts:
        if (args.pages / "ground-truth.json").exists():
            results["fallback"] = fallback.run(args.pages, sizes["fallback"])
        else:
            results["fallback"] = {"skipped": f"{args.pages} is not here"}
    if "crawl" in parts:
        results["crawl"] = crawl.run(
            records,
            large=sizes["large"],
            small=sizes["small"],
            profile_articles=sizes["profile"],
            bench_seconds=sizes["bench"],
            workdir=args.keep,
            keep=args.keep is not None,
        )
    if "backfill" in parts:
        results["backfill"] = backfill.run(records, sizes["backfill"], args.keep)
    results["seconds"] = time.time() - started
    results["load_average_end"] = os.getloadavg()
    (out / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    (out / "BENCHMARKS.md").write_text(report.render(results), encoding="utf-8")
    log(f"wrote {out / 'BENCHMARKS.md'} and {out / 'results.json'} in {results['seconds'] / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
