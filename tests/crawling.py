"""Helpers for tests that crawl a local replica: the crawl runs as a subprocess (Twisted's
reactor cannot restart in one process), through mirrors onto 127.0.0.1 only."""

from __future__ import annotations

import gzip
import subprocess
import sys
import threading
from pathlib import Path

from newscrawler.record import Article, read
from newscrawler.replica.faults import Faults
from newscrawler.replica.site import Reply

FIVE = ("title", "url", "description", "body")


def crawl(
    forces: list[str], out: Path, mirrors: dict[str, str], *extra: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "newscrawler", "crawl", *forces, "--data", str(out), *extra]
    for origin, url in mirrors.items():
        args += ["--mirror", f"{origin}={url}"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=3600)
    if check:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def same_fields(expected: Article, got: Article) -> list[str]:
    """The five fields that differ between two records."""
    bad = [k for k in FIVE if getattr(expected, k) != getattr(got, k)]
    if expected.get("publish.date") != got.get("publish.date"):
        bad.append("publish.date")
    if expected.area != got.area:
        bad.append("area")
    return bad


def compare_trees(expected: Path, got: Path) -> tuple[int, int, list[str]]:
    """(byte-identical, equal five fields, problems) of every record under ``expected``."""
    identical = equal = 0
    problems = []
    for path in sorted(expected.glob("news/*/*.md")):
        other = got / path.relative_to(expected)
        if not other.exists():
            problems.append(f"{path.relative_to(expected)}: not crawled")
            continue
        if path.read_bytes() == other.read_bytes():
            identical += 1
            equal += 1
            continue
        bad = same_fields(read(path), read(other))
        if bad:
            problems.append(f"{path.relative_to(expected)}: {', '.join(bad)} differ")
        else:
            equal += 1
    return identical, equal, problems


class GzipSite:
    """A replica fault hook that serves every page of one site gzip-compressed (as most real
    sites do), after the faults of ``faults`` (whose ``hits`` note every request). Give it as
    ``ReplicaServer(fault=…)``, then ``hook.faults.bind(server)``."""

    def __init__(self, host: str, faults: Faults | None = None) -> None:
        self.host = host
        self.faults = faults or Faults()
        self.inside = threading.local()

    def __call__(self, target: str) -> Reply | None:
        if getattr(self.inside, "active", False):  # the faults asking for the real page
            return None
        self.inside.active = True
        try:
            faulty = self.faults(target)
            if not target.startswith(f"/{self.host}/"):
                return faulty
            reply = faulty or self.faults.original(target)
        finally:
            self.inside.active = False
        headers = (*reply.headers, ("Content-Encoding", "gzip"))
        return Reply(reply.status, reply.content_type, gzip.compress(reply.body), headers)
