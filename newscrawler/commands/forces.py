"""``newscrawler forces``: the registry as a table, so a user sees every force's slug, where its
news is now, the sites it was on before, and whether its platform is confirmed."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from newscrawler.commands.common import add_command
from newscrawler.forces import Force, Site, registry
from newscrawler.platforms import UnsupportedPlatformError, platform_for

COLUMNS = ("area", "slug", "platform", "news", "earlier", "verified")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "forces",
        help="list every force: platform now, news address, earlier sites",
        description=__doc__,
        examples=("newscrawler forces", "newscrawler forces --json | jq '.[].slug'"),
    )
    p.add_argument("--json", action="store_true", help="one JSON array instead of the table")
    p.set_defaults(run=run)


def news_address(force: Force, site: Site) -> str:
    """The first listing page of a site (its origin when the platform names none)."""
    try:
        listings = platform_for(force, site).listing_urls()
    except UnsupportedPlatformError:
        listings = []
    return listings[0] if listings else site.origin


def rows() -> list[dict[str, Any]]:
    """One row per force, in registry order."""
    out = []
    for force in registry():
        live = force.live_site
        out.append(
            {
                "area": force.area,
                "slug": force.slug,
                "platform": live.platform,
                "news": news_address(force, live),
                "earlier": [
                    {"platform": s.platform, "origin": s.origin, "since": s.since, "until": s.until}
                    for s in force.earlier_sites
                ],
                "verified": live.verified,
            }
        )
    return out


def _cells(row: dict[str, Any]) -> list[str]:
    earlier = ", ".join(
        f"{e['platform']} ({e['origin'].split('://', 1)[-1]}, {e['since']}–{e['until'] or ''})"
        for e in row["earlier"]
    )
    return [
        row["area"],
        row["slug"],
        row["platform"],
        row["news"],
        earlier or "-",
        "yes" if row["verified"] else "no",
    ]


def run(args: argparse.Namespace) -> int:
    table = rows()
    if args.json:
        json.dump(table, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    cells = [list(COLUMNS), *(_cells(r) for r in table)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS) - 1)]
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1])
    unverified = sum(not r["verified"] for r in table)
    print(f"\n{len(table)} forces; {unverified} on a platform no source confirms (verified: no).")
    return 0
