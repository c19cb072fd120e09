"""The notes of BENCHMARKS.md: what limits each missed target, what was tried, what was changed
and what it gained. Kept beside the code so that one run of the command writes the whole file."""

from __future__ import annotations

from typing import Any


def render(r: dict[str, Any], ok: dict[str, bool | None]) -> str:
    return "## Notes\n\n(to be written)\n"
