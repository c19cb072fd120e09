"""Peak memory of ``newscrawler export``: it must not grow with the number of records.

Each export runs in a fresh subprocess that reports its own peak RSS (``resource.getrusage``),
for every format, on a small data set (the test sample, imported) and on a large one (the
whole public archive, imported from its .tar.xz unless a data folder is given). A flat line
from small to large, and a peak under 300 MB, is the claim::

    python benchmarks/export_memory.py                 # imports ../shared/police-news first
    python benchmarks/export_memory.py /srv/police-news
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from newscrawler.exporters import FORMATS
from newscrawler.importer import import_archive
from newscrawler.record import iter_files

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "records"
ARCHIVE = ROOT.parent / "shared" / "police-news" / "police-news.tar.xz"
LIMIT_MB = 300

# Run in the child: export (or, with no format, only import what an export imports) and print
# rows, seconds and peak RSS in KB (Linux reports ru_maxrss in KB).
CHILD = """
import resource, sys, time
import pyarrow.parquet
from newscrawler.exporters import export
start = time.perf_counter()
rows = export(sys.argv[1], sys.argv[2], sys.argv[3]) if len(sys.argv) > 3 else 0
print(rows, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure(data: Path, out: Path, fmt: str | None) -> tuple[int, float, float]:
    """(rows, seconds, peak RSS in MB) of one export in a fresh process."""
    args = [sys.executable, "-c", CHILD, str(data), str(out)] + ([fmt] if fmt else [])
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    rows, seconds, peak_kb = done.stdout.split()
    return int(rows), float(seconds), int(peak_kb) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "data_dir", nargs="?", type=Path, help="an output folder (default: import the archive)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        small = work / "sample"
        import_archive(SAMPLE, small, work / "sample-skipped.tsv")
        large = args.data_dir
        if large is None:
            print(f"importing {ARCHIVE} …", file=sys.stderr)
            large = work / "archive"
            import_archive(ARCHIVE, large, work / "archive-skipped.tsv")
        print("| data set | records | format | rows | seconds | peak RSS (MB) | file (MB) |")
        print("|---|---:|---|---:|---:|---:|---:|")
        peaks = []
        for name, data in (("sample", small), ("large", large)):
            records = sum(1 for _ in iter_files(data))
            _, _, floor = measure(data, work / "none", None)
            print(f"| {name} | {records} | (imports only) | 0 | 0 | {floor:.0f} | |")
            for fmt in FORMATS:
                out = work / f"{name}.{fmt}"
                rows, seconds, peak = measure(data, out, fmt)
                peaks.append(peak)
                size = out.stat().st_size / 2**20
                print(f"| {name} | {records} | {fmt} | {rows} | {seconds:.1f} | {peak:.0f} | {size:.1f} |")
        print(f"\nhighest peak: {max(peaks):.0f} MB (limit {LIMIT_MB} MB)")
        return 0 if max(peaks) < LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())
