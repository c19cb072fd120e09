"""``newscrawler replica``: serve the forces' sites, rebuilt from records, on this machine.

Article pages, listings with pagination, RSS, robots.txt and sitemaps, with the boilerplate
real pages carry, for every site whose platform the replica knows. Crawl it with the
``--mirror`` arguments it prints; the records written keep the forces' own URLs.
"""

from __future__ import annotations

import argparse
import lzma
import sys
import tarfile
from pathlib import Path

from newscrawler.commands.common import (
    CommandError,
    UsageError,
    add_command,
    add_forces,
    chosen_forces,
    os_error_message,
    positive_int,
)
from newscrawler.record import RecordError
from newscrawler.replica import ReplicaServer, is_loopback
from newscrawler.replica.faults import KINDS, Faults

EXAMPLES = (
    "newscrawler replica ../shared/police-news/police-news.tar.xz",
    "newscrawler replica data kent bedfordshire --port 8080",
    "newscrawler replica data kent --variant 7",
    "newscrawler crawl kent --data replica-data --mirror https://www.kent.police.uk=http://127.0.0.1:8080/www.kent.police.uk",
)
#: Where the crawl command printed for a replica writes: a folder of its own, not data/ (a
#: replica serves the archive's records again; they belong in no real crawl's folder).
CRAWL_OUT = "replica-data"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = add_command(
        sub,
        "replica",
        help="serve replicas of the forces' sites from records (no network needed)",
        description=__doc__,
        examples=EXAMPLES,
    )
    p.add_argument("source", type=Path, help="a folder with news/<Area>/*.md, or the .tar.xz archive")
    add_forces(p, every_by_default=True, old_option=True)
    p.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default: 8080; 0 picks a free one)")
    p.add_argument("--per-page", type=positive_int, default=20, metavar="N", help="articles per listing page")
    p.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="SPEC",
        help="misbehave on purpose: KIND[=VALUE][,path=GLOB][,times=N][,rate=P], repeatable, e.g. "
        f"'status=503,rate=0.1'; kinds: {', '.join(sorted(KINDS))}",
    )
    p.add_argument("--fault-seed", type=int, default=0, metavar="N", help="seed of rate= faults")
    p.add_argument(
        "--variant",
        type=int,
        metavar="SEED",
        help="article pages in this seed's variant markup: the same records, with structure, "
        "class names, meta and date placement varied",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not is_loopback(args.host):
        raise UsageError(f"{args.host!r} is not a loopback address: the replica serves this machine only")
    forces = chosen_forces(args)
    try:
        faults = Faults.from_specs(args.fault, seed=args.fault_seed) if args.fault else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(f"loading records from {args.source} …", file=sys.stderr)
    slugs = [f.slug for f in forces] if forces is not None else None
    try:
        server = ReplicaServer(
            args.source, slugs, args.port, args.host, args.per_page, fault=faults, variant=args.variant
        )
    except OSError as exc:
        doing = "read" if exc.filename else f"listen on {args.host} port {args.port}"
        raise CommandError(os_error_message(exc, doing)) from None
    except (tarfile.TarError, EOFError, lzma.LZMAError) as exc:
        raise CommandError(f"cannot read {args.source}: not a readable .tar.xz archive ({exc})") from None
    except (RecordError, ValueError) as exc:
        raise CommandError(str(exc)) from None
    if faults is not None:
        faults.bind(server)
    for s in server.sites:
        print(f"  {s.area:<20} {s.platform:<5} {s.articles:>6} articles  {s.origin}")
    for reason, n in sorted(server.skipped.items()):
        print(f"  skipped {n} records: {reason}")
    if not server.sites:
        server.stop()
        raise CommandError("no records of a platform the replica serves")
    mirrors = " ".join(f"--mirror {origin}={url}" for origin, url in server.mirrors.items())
    served = " ".join(dict.fromkeys(s.force for s in server.sites))
    print(f"\nserving on {server.base_url} (Ctrl-C stops). Crawl it with:\n")
    print(f"  newscrawler crawl {served} --data {CRAWL_OUT} {mirrors}\n", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return 0
