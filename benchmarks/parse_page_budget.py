"""Where parse-document stands against 4 MB/s on each government-page fixture, and the fixed cost of a file.

Run: `python benchmarks/parse_page_budget.py` (from the repository root). For each document of
`gongkai.documents.tests.site_shapes` (as the files `parse_bench.py` reads): its size, the CPU time of reading,
extracting, normalising and parsing it end to end (best of 7 × 100 runs, `time.process_time()`), its MB/s, and the
time 4 MB/s allows it. Then the same for a file of one line and for `parse_official_document` / `normalise_text`
of one line: the cost every file pays whatever its size. Prints only (the figures go into results-parse.md by hand).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from gongkai.documents.extract import extract_text  # noqa: E402
from gongkai.documents.normalise import normalise_text  # noqa: E402
from gongkai.documents.official import parse_official_document  # noqa: E402
from gongkai.documents.tests.golden import site_shape_files  # noqa: E402

TARGET = 4.0  # MB/s


def cpu_us(func, number: int) -> float:
    """Best of 7 batches, CPU microseconds per call."""
    best = float("inf")
    for _ in range(7):
        start = time.process_time()
        for _ in range(number):
            func()
        best = min(best, time.process_time() - start)
    return best / number * 1e6


def main() -> None:
    directory = Path(tempfile.mkdtemp(prefix="gongkai-budget-"))
    one_line = directory / "one-line.txt"
    one_line.write_text("国务院关于加强工作的意见\n", encoding="utf-8")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print("| document | bytes | CPU µs end to end | MB/s | µs at 4 MB/s |")
    print("|---|---:|---:|---:|---:|")
    total_bytes = total_us = 0.0
    for path in site_shape_files(directory):
        size = path.stat().st_size
        spent = cpu_us(lambda p=path: parse_official_document(extract_text(p), normalised=True), 100)
        total_bytes += size
        total_us += spent
        print(f"| {path.name} | {size} | {spent:.0f} | {size / spent:.2f} | {size / TARGET:.0f} |")
    print(
        f"| all | {total_bytes:.0f} | {total_us:.0f} | {total_bytes / total_us:.2f} | {total_bytes / TARGET:.0f} |"
    )
    line = "国务院关于加强工作的意见"
    fixed = {
        "extract_text of a one-line .txt file": lambda: extract_text(one_line),
        "parse_official_document of one line": lambda: parse_official_document(line, normalised=True),
        "normalise_text of one line": lambda: normalise_text(line),
    }
    for name, func in fixed.items():
        print(f"{name}: {cpu_us(func, 2000):.1f} µs")


if __name__ == "__main__":
    main()
