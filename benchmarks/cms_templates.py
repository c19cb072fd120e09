"""The platform parsers on article pages written the way real CMSs write them
(``newscrawler/replica/cms_templates.py``): an independent test bed beside the variants
(benchmark 6), whose variation space the parsers' authors chose. Per template, per platform:
how many records come back five-field-equal, how many are reported, how many written WRONG.

    python -m benchmarks.cms_templates RECORDS [--limit N] [--template NAME] [-v]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from newscrawler.forces import Force, Site
from newscrawler.record import Article
from newscrawler.replica import cms_templates, variants
from newscrawler.replica.source import load_records


def measure(
    records: Sequence[tuple[Article, Force, Site]], template: str
) -> tuple[dict[str, variants.Tally], list[variants.Outcome]]:
    """Per platform, the outcomes of the records' pages in ``template``; and the outcomes
    written wrong or guessed."""
    tallies: dict[str, variants.Tally] = {}
    bad = []
    number = list(cms_templates.TEMPLATES).index(template)
    for article, force, site in records:
        page = cms_templates.render(template, article, force, site)
        outcome = variants.judge_page(article, force, site, page, number)
        tallies.setdefault(site.platform, variants.Tally()).add(outcome)
        if outcome.kind in ("wrong", "guessed"):
            bad.append(outcome)
    return dict(sorted(tallies.items())), bad


def summary(template: str, tallies: dict[str, variants.Tally]) -> str:
    t = variants.total(tallies)
    return (
        f"{template}: {t.exact} of {t.makeable} makeable exact ({t.share_exact:.1%}), "
        f"{t.reported} reported, {t.wrong} wrong, {t.guessed} guessed, of {t.pages} pages"
    )


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.cms_templates",
        description="The platform parsers on real-CMS-style article pages: per template and platform.",
    )
    p.add_argument("records", type=Path, help="a folder with news/<Area>/*.md, or the .tar.xz archive")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="records per platform (default 20)")
    p.add_argument(
        "--template",
        action="append",
        choices=list(cms_templates.TEMPLATES),
        help="only this template (repeatable)",
    )
    p.add_argument(
        "-v", "--verbose", action="store_true", help="also the reasons and every page written wrong"
    )
    args = p.parse_args(argv)
    if args.limit < 1:
        p.error("--limit wants a whole number of at least 1")
    per: Counter[str] = Counter()
    chosen = []
    try:
        for article, force, site in variants.located(load_records(args.records)):
            if per[site.platform] < args.limit:
                per[site.platform] += 1
                chosen.append((article, force, site))
    except (OSError, ValueError) as exc:
        print(f"benchmarks.cms_templates: {exc}", file=sys.stderr)
        return 2
    lines = []
    for template in args.template or cms_templates.TEMPLATES:
        tallies, bad = measure(chosen, template)
        print(f"== {template}")
        print(variants.table(tallies))
        lines.append(summary(template, tallies))
        if args.verbose:
            for name, t in tallies.items():
                for reason, count in t.reasons.most_common():
                    print(f"{template} {name}: reported {count}: {reason}")
            for o in bad:
                print(f"{template} {o.url}: {o.kind.upper()} {o.detail}")
        print()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
