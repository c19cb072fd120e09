"""The parser fuzz harness (fuzz/parsers.py) runs, briefly and with a fixed seed, in the normal
suite: it keeps working, and the crashes it once found stay fixed. The 10-minute run is
documented in fuzz/README.md."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HARNESS = Path(__file__).resolve().parent.parent / "fuzz" / "parsers.py"


def test_a_short_fuzz_run_finds_no_crash() -> None:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    done = subprocess.run(
        [sys.executable, str(HARNESS), "--examples", "400", "--seed", "0"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-5000:]
    assert "400 pages" in done.stdout and "no crash" in done.stdout
