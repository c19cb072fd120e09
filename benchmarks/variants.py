"""Benchmark 6: the platform parsers on markup variants (``newscrawler/replica/variants.py``):
the same real records, each page's structure, class names, meta and date placement varied by a
seed; per platform, how many records come back five-field-equal (byte-identical), how many are
reported (with the reasons), and how many are written WRONG (the worst outcome: listed).

The table is of the HELD-OUT seeds, which nobody tunes on; the tuning seeds' totals stand beside
it, so that a gap between the two shows a parser fitted to what it was tuned on.

By hand, the per-platform table on tuning seeds (the loop to tune parsers in)::

    python -m benchmarks.variants tests/data/records --seeds 0:3 [-v] [--platform soh] [--limit N]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import corpus
from benchmarks.common import Clock, log
from newscrawler.replica import variants
from newscrawler.replica.source import load_records

#: What issue 13 asks of every platform, on the held-out seeds.
TARGET_SHARE = 0.99


def run(records: Sequence[corpus.Servable], n: int, seeds: int) -> dict[str, Any]:
    """``n`` records spread over the platforms, each rendered with ``seeds`` held-out seeds
    (taken in turn from the whole held-out range, so each platform meets many templates) and
    parsed; and the same with tuning seeds, for comparison."""
    chosen = [(r.article, r.force, r.site) for r in corpus.sample(records, n, by_platform=True)]
    held, tuning = variants.HELD_OUT_SEEDS, variants.TUNING_SEEDS
    log(f"variants: {len(chosen)} records x {seeds} held-out and {seeds} tuning seeds")
    clock = Clock()
    with clock.timing("held_out"):
        held_out = variants.measure(chosen, held, per_record=seeds)
    with clock.timing("tuning"):
        tuned = variants.measure(chosen, tuning, per_record=seeds)
    return {
        "records": len(chosen),
        "seeds": {
            "per_record": seeds,
            "held_out": [held.start, held.stop],
            "tuning": [tuning.start, tuning.stop],
        },
        "seconds": dict(clock.seconds),
        "held_out": {name: t.as_dict() for name, t in held_out.items()},
        "held_out_all": variants.total(held_out).as_dict(),
        "tuning": {name: _counts(t) for name, t in tuned.items()},
        "tuning_all": _counts(variants.total(tuned)),
    }


def below_target(held_out: dict[str, dict[str, Any]]) -> list[str]:
    """The platforms short of issue 13's target: under 99% exact, a record that cannot be made
    whole written all the same, or (BCH, whose archive records are in the target format) an
    exact record not byte-identical."""
    return [
        name
        for name, t in held_out.items()
        if t["share_exact"] < TARGET_SHARE or t["guessed"] or (name == "bch" and t["identical"] < t["exact"])
    ]


def _counts(t: variants.Tally) -> dict[str, Any]:
    """A tally without its page lists (the tuning seeds' figures are for comparison only)."""
    return {k: v for k, v in t.as_dict().items() if k != "wrong_pages"}


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.variants",
        description="The platform parsers on variant pages of records: per platform, exact, reported, wrong.",
    )
    p.add_argument("records", type=Path, help="a folder with news/<Area>/*.md, or the .tar.xz archive")
    p.add_argument("--seeds", default="0:3", metavar="A:B", help="seeds A..B-1 of the range (default 0:3)")
    p.add_argument("--held-out", action="store_true", help="the held-out seeds: for measuring, never tuning")
    p.add_argument("--platform", action="append", help="only this platform (repeatable)")
    p.add_argument("--limit", type=int, default=0, metavar="N", help="at most N records per platform")
    p.add_argument(
        "--per-record",
        type=int,
        metavar="K",
        help="K seeds per record, taken in turn from the range (default: every seed for every record)",
    )
    p.add_argument(
        "-v", "--verbose", action="store_true", help="also the reasons and every page written wrong"
    )
    args = p.parse_args(argv)
    first, _, last = args.seeds.partition(":")
    if not (first.isdigit() and (last.isdigit() or not last)):
        p.error(f"--seeds wants A:B (two whole numbers), not {args.seeds!r}")
    base = variants.HELD_OUT_SEEDS if args.held_out else variants.TUNING_SEEDS
    seeds = base[int(first) : int(last) if last else int(first) + 1]
    per: Counter[str] = Counter()
    chosen = []
    try:
        for article, force, site in variants.located(load_records(args.records)):
            if (args.platform and site.platform not in args.platform) or (
                args.limit and per[site.platform] >= args.limit
            ):
                continue
            per[site.platform] += 1
            chosen.append((article, force, site))
    except (OSError, ValueError) as exc:
        print(f"benchmarks.variants: {exc}", file=sys.stderr)
        return 2
    if args.per_record is not None and args.per_record < 1:
        p.error("--per-record wants a whole number of at least 1")
    tallies = variants.measure(chosen, seeds, args.per_record)
    print(variants.table(tallies))
    if args.verbose:
        for name, t in tallies.items():
            for reason, count in t.reasons.most_common():
                print(f"{name}: reported {count}: {reason}")
            for line in t.wrong_pages:
                print(f"{name}: WRONG {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
