"""`gongkai check-doc-number` on 30,000 numbers: the whole command (a fresh process: Django start-up, reading,
checking, writing JSON Lines) and the check alone.

Run: `python benchmarks/doc_number_bench.py [--lines 30000]`. Writes benchmarks/results-doc-number.md.
The numbers are generated (seeded) in the shapes real 发文字号 take — standard numbers of many agencies, orders,
announcements, joint announcements — and damaged the ways real data is damaged (legacy and mixed brackets,
full-width digits, zero-width spaces and BOMs, spaces inside order numbers, 第 and leading zeros, two-digit years).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from gongkai.documents.doc_number import check_doc_number  # noqa: E402

CODES = ["国发", "国办发", "国办函", "国函", "国办发明电", "京政发", "京政办发", "京西政发", "京西政办发", "财税", "人社部发",
         "国卫办医函", "京发改规", "税总发", "银保监发", "中发", "厅字", "京财预", "京人社养老发", "晋政办发"]  # fmt: skip
ORGANS = [
    "国务院",
    "中华人民共和国国务院",
    "北京市人民政府",
    "公安部",
    "国家市场监督管理总局",
    "交通运输部",
    "省政府",
]
ANNOUNCERS = ["国家税务总局", "财政部", "海关总署", "财政部 税务总局", "市场监管总局"]
OPEN_CLOSE = [("[", "]"), ("（", "）"), ("(", "〕"), ("﹝", "﹞"), ("【", "】")]


def numbers(count: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        r = rng.random()
        year, serial = rng.randint(1985, 2025), rng.randint(1, 400)
        if r < 0.45:
            number = f"{rng.choice(CODES)}〔{year}〕{serial}号"
        elif r < 0.55:
            number = f"{rng.choice(ORGANS)}令第{serial}号"
        elif r < 0.65:
            number = f"{rng.choice(ANNOUNCERS)}公告{year}年第{serial}号"
        elif r < 0.75:
            o, c = rng.choice(OPEN_CLOSE)
            number = f"{rng.choice(CODES)}{o}{year}{c}第0{serial}号"
        elif r < 0.82:
            number = f"{rng.choice(ORGANS)}令 第{serial}号"
        elif r < 0.88:
            digits = str(year).translate({ord(str(i)): ord("０") + i for i in range(10)})
            number = f"\ufeff{rng.choice(CODES)}〔{digits}〕{serial}号"
        elif r < 0.94:
            number = f"{rng.choice(CODES)}\u200b〔{year}〕{serial}号"
        else:
            number = f"{rng.choice(CODES)}〔{year % 100:02d}〕{serial}号"
        out.append(number)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=30000)
    args = parser.parse_args()
    lines = numbers(args.lines)
    size = sum(len(line.encode()) + 1 for line in lines)

    best = None
    for _ in range(3):
        start = time.process_time()
        results = [check_doc_number(line) for line in lines]
        elapsed = time.process_time() - start
        best = elapsed if best is None else min(best, elapsed)
    valid = sum(r.valid for r in results)
    repairable = sum(r.repairable and not r.valid for r in results)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "numbers.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings.dev"}
        runs = []
        for _ in range(3):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "gongkai.cli", "check-doc-number", str(path), "--json"],
                capture_output=True, env=env, cwd=ROOT, check=True,
            )  # fmt: skip
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            runs.append((wall, cpu, done.stdout.count(b"\n")))
        wall, cpu, out_lines = min(runs)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "gongkai.cli", "check-doc-number", "--help"], capture_output=True,
                       env=env, cwd=ROOT, check=True)  # fmt: skip
        startup = time.perf_counter() - start

    text = [
        "# check-doc-number benchmark",
        "",
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: `{' '.join(platform.uname())}`, nproc {os.cpu_count()}, Python {platform.python_version()}",
        f"- load average when finished: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (shared machine)",
        f"- input: {len(lines):,} generated numbers ({size / 1e6:.2f} MB): {valid:,} valid, {repairable:,} repairable, "
        f"{len(lines) - valid - repairable:,} not repairable",
        "- command: `python benchmarks/doc_number_bench.py`",
        "",
        "| measure | value |",
        "|---|---|",
        f"| `check_doc_number` alone, best of 3 (CPU) | {best:.2f} s, {len(lines) / best:,.0f} numbers/s |",
        f"| `gongkai check-doc-number FILE --json`, whole process, best of 3 | {wall:.2f} s wall, {cpu:.2f} s CPU |",
        f"| of which Django start-up (`--help`) | {startup:.2f} s wall |",
        f"| output lines | {out_lines:,} (one per input line) |",
        "",
        "Target: 30,000 lines in well under a minute, without a database.",
    ]
    (ROOT / "benchmarks" / "results-doc-number.md").write_text("\n".join(text) + "\n", encoding="utf-8")
    print("\n".join(text))


if __name__ == "__main__":
    main()
