"""Throughput of the confidentiality scanner over the law corpus (target: >= 20 MB/s on one core).

    python benchmarks/scan_bench.py [--repeat N]

Reads every ../shared/corpus/laws/**.md (GONGKAI_SHARED_DIR overrides), scans each file with
`gongkai.secrecy.scanner.scan_text` N times, reports the best and median MB/s (UTF-8 bytes of the text) and
writes benchmarks/results-scan.md. A second run on the same text with personal data planted every ~2 KB
measures the cost when there is something to find.
"""

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from gongkai.secrecy.scanner import scan_text  # noqa: E402

PLANT = "申请人张三，身份证号11010519491231002X，手机13800138000，住址月坛北街12号院3号楼2单元501室。"


def corpus_dir() -> Path:
    shared = os.environ.get("GONGKAI_SHARED_DIR") or str(HERE.parent.parent / "shared")
    return Path(shared) / "corpus" / "laws"


def run(texts, repeat):
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    timings = []
    findings = 0
    for _ in range(repeat):
        start = time.perf_counter()
        findings = sum(len(scan_text(t)) for t in texts)
        timings.append(time.perf_counter() - start)
    return size, min(timings), statistics.median(timings), findings


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    root = corpus_dir()
    files = sorted(root.rglob("*.md"))
    if not files:
        sys.exit(f"corpus not found in {root}")
    texts = [p.read_text("utf-8", errors="replace") for p in files]
    planted = []
    for text in texts:
        parts = [text[i : i + 2000] for i in range(0, len(text), 2000)]
        planted.append(PLANT.join(parts))
    rows = []
    for label, data in [("法规语料（原文）", texts), ("每约2000字植入个人信息", planted)]:
        size, best, median, findings = run(data, args.repeat)
        rows.append((label, len(data), size, best, median, size / best, size / median, findings))
        print(
            f"{label}: {size:.1f} MB, best {size / best:.1f} MB/s, median {size / median:.1f} MB/s, {findings} findings"
        )
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE
        ).stdout.strip()
    except OSError:
        commit = "?"
    lines = [
        "# Scanner throughput (`benchmarks/scan_bench.py`)",
        "",
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, commit {commit}",
        f"- machine: `{' '.join(platform.uname())}`, nproc {os.cpu_count()} (shared with other jobs while measured)",
        f"- Python {platform.python_version()}, single thread, {args.repeat} runs each",
        "- target: >= 20 MB/s",
        "",
        "| input | files | MB (UTF-8) | best s | median s | best MB/s | median MB/s | findings |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, n, size, best, median, mbs_best, mbs_median, findings in rows:
        lines.append(
            f"| {label} | {n} | {size:.1f} | {best:.2f} | {median:.2f} | {mbs_best:.1f} | {mbs_median:.1f} | {findings} |"
        )
    (HERE / "results-scan.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
