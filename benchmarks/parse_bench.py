"""Throughput of `parse-document` and `parse-workplan` (MB/s of input) over the law corpus and the seed plans.

Run: `python benchmarks/parse_bench.py` (from the repository root; uses ../shared or GONGKAI_SHARED_DIR).
Writes benchmarks/results-parse.md. Each figure is the best of 3 runs over the whole set of files of one shape
(the bytes of all files summed, divided by the CPU seconds of this process — `time.process_time()` — and by the
wall time), single process, measured end to end as the commands do it: read the file, extract and normalise the
text, parse. Shapes: the law corpus (.md), the seed work plans (.txt, extracted from PDF), government web pages
(.html) and the documents government sites publish as text (scraped pages, orders, notices, .txt) — the small
site-shape fixtures (the article and its metadata block alone, 0.35–2.7 kB each) — and whole government pages as
the sites serve them (head, scripts, navigation, metadata block, article, attachments, related links, footer;
4.7–11 kB each, `gongkai/documents/tests/fixtures/full_pages/`).
The sections under the table (one per round of speed work, `### …`) are kept when the file is rewritten.
No database: department names are resolved against the seed table (`seed_resolver`).
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from gongkai.documents.extract import extract_text  # noqa: E402
from gongkai.documents.normalise import normalise_text  # noqa: E402
from gongkai.documents.official import parse_official_document  # noqa: E402
from gongkai.documents.workplan import parse_workplan  # noqa: E402

SHARED = Path(os.environ.get("GONGKAI_SHARED_DIR", ROOT.parent / "shared"))
PAGE_REPEAT = 50  # the site-shape fixtures are small; parse them 50 times
FULL_PAGE_REPEAT = 20  # the whole pages are 4.7–11 kB
FULL_PAGES = ROOT / "src" / "gongkai" / "documents" / "tests" / "fixtures" / "full_pages"
OUTPUT = ROOT / "benchmarks" / "results-parse.md"
RUNS = 3
SEED_REPEAT = 20  # the seeds are 34 kB; parse them 20 times for a measurable time


def best_of(func, runs=RUNS) -> tuple[float, float]:
    """(best CPU seconds of this process, best wall seconds). CPU time is the main figure: the machine is
    shared, and wall time mostly measures the other jobs."""
    cpu, wall = [], []
    for _ in range(runs):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        func()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
    return min(cpu), min(wall)


def measure(name: str, files: list[Path], repeat: int = 1, skip: tuple = ()) -> list[tuple]:
    size = sum(f.stat().st_size for f in files) * repeat
    rows = []
    texts = [extract_text(f) for f in files]
    stages = {
        "extract + normalise": lambda: [extract_text(f) for _ in range(repeat) for f in files],
        "parse-document (end to end)": lambda: [
            parse_official_document(extract_text(f), normalised=True) for _ in range(repeat) for f in files
        ],
        "parse-workplan (end to end)": lambda: [
            parse_workplan(extract_text(f), normalised=True) for _ in range(repeat) for f in files
        ],
        "parse_official_document only": lambda: [
            parse_official_document(t, normalised=True) for _ in range(repeat) for t in texts
        ],
        "normalise_text only": lambda: [
            normalise_text(f.read_text(encoding="utf-8")) for _ in range(repeat) for f in files
        ],
    }
    for stage, func in stages.items():
        if stage in skip:
            continue
        cpu, wall = best_of(func)
        rows.append((name, stage, len(files) * repeat, size, cpu, size / cpu / 1e6, wall, size / wall / 1e6))
    return rows


def site_shape_files(directory: Path) -> list[Path]:
    """The documents of `gongkai.documents.tests.site_shapes` (gov.cn and beijing.gov.cn pages, scraped text,
    orders, a forwarded notice …) written to files, as the commands read them (the same files as the recorded
    outputs of `gongkai.documents.tests.golden`)."""
    from gongkai.documents.tests.golden import site_shape_files as files

    return files(directory)


def corpus_counts(laws: list[Path]) -> list[str]:
    """What parse-document finds in the law corpus (a sanity check of titles, issuers, kinds and dates)."""
    from collections import Counter

    counts, kinds, issuers = Counter(), Counter(), Counter()
    for path in laws:
        doc = parse_official_document(extract_text(path), normalised=True, outline=False)
        counts["files"] += 1
        counts["title"] += bool(doc["title"])
        counts["issuer"] += bool(doc["issuer"])
        counts["date"] += bool(doc["date"])
        counts["promulgation"] += bool(doc["promulgation"])
        kinds[(path.relative_to(SHARED / "corpus" / "laws").parts[0], doc["document_kind"])] += 1
        issuers[doc["issuer"] or "（无）"] += 1
    lines = [
        "",
        "## parse-document over the law corpus (sanity check)",
        "",
        f"{counts['files']} files: title {counts['title']}, issuer {counts['issuer']}, date {counts['date']}, "
        f"题注/promulgation lines {counts['promulgation']}. Files without any header line have no issuer and date in "
        "the text (import-corpus then uses the folder and the file name).",
        "",
        "| folder | kind | files |",
        "|---|---|---:|",
    ]
    lines += [f"| {folder} | {kind} | {n} |" for (folder, kind), n in sorted(kinds.items())]
    lines += ["", "Most frequent issuers: " + "，".join(f"{name} {n}" for name, n in issuers.most_common(12))]
    return lines


def earlier_rounds(path: Path) -> list[str]:
    """The `### …` sections of the results file being replaced (the before/after record of each round of speed
    work), up to the sanity check or the corpus counts, which are written anew."""
    if not path.exists():
        return []
    kept: list[str] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("Sanity check:") or line.startswith("## "):
            if kept:
                break
            continue
        if line.startswith("### ") or kept:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return ["", *kept] if kept else []


def main() -> None:
    laws = sorted((SHARED / "corpus" / "laws").rglob("*.md"))
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if not laws and not seeds:
        print(f"no corpus under {SHARED}; set GONGKAI_SHARED_DIR", file=sys.stderr)
        sys.exit(1)
    rows = []
    if laws:
        rows += measure("laws corpus", laws)
    import tempfile

    pages_dir = Path(tempfile.mkdtemp(prefix="gongkai-pages-"))
    pages = site_shape_files(pages_dir)
    html_pages = [p for p in pages if p.suffix == ".html"]
    text_pages = [p for p in pages if p.suffix != ".html"]
    skip = ("parse-workplan (end to end)", "normalise_text only")
    rows += measure(f"government pages, all shapes ×{PAGE_REPEAT}", pages, PAGE_REPEAT, skip=skip)
    rows += measure(f"government web pages (.html) ×{PAGE_REPEAT}", html_pages, PAGE_REPEAT, skip=skip)
    rows += measure(f"government documents as text (.txt) ×{PAGE_REPEAT}", text_pages, PAGE_REPEAT, skip=skip)
    full_pages = sorted(FULL_PAGES.glob("*.html"))
    rows += measure(
        f"government pages, full HTML ×{FULL_PAGE_REPEAT}", full_pages, FULL_PAGE_REPEAT, skip=skip
    )
    if seeds:
        rows += measure(f"seed plans ×{SEED_REPEAT}", seeds, SEED_REPEAT)
        plan = parse_workplan(extract_text(seeds[0]))
        task_count = sum(len(parse_workplan(extract_text(s))["tasks"]) for s in seeds)
    try:
        cpu = subprocess.run(
            ["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        cpu = ""
    lines = [
        "# Parsing throughput (parse-document, parse-workplan)",
        "",
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: `{' '.join(platform.uname())}`",
        f"- CPU: {cpu or 'unknown'}; nproc: {os.cpu_count()} (shared with other jobs while measured)",
        f"- Python {platform.python_version()}",
        f"- input: {len(laws)} law files ({sum(f.stat().st_size for f in laws) / 1e6:.1f} MB) from corpus/laws, "
        f"{len(seeds)} seed plans ({sum(f.stat().st_size for f in seeds) / 1e3:.0f} kB, parsed {SEED_REPEAT}× each), "
        f"{len(pages)} documents in the shapes government sites publish (parsed {PAGE_REPEAT}× each), "
        f"{len(full_pages)} whole government pages ({sum(f.stat().st_size for f in full_pages) / 1e3:.0f} kB, "
        f"parsed {FULL_PAGE_REPEAT}× each)",
        f"- method: best of {RUNS} runs, one process, MB = 10^6 bytes of input file; `python benchmarks/parse_bench.py`",
        f"- load average while measuring: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores — "
        "CPU seconds of the process are the figure to compare; wall time is shown for completeness",
        "",
        "| input | stage | files | MB | CPU s | CPU s per MB | MB/s (CPU) | wall s | MB/s (wall) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, stage, count, size, cpu, cpu_rate, wall, wall_rate in rows:
        lines.append(
            f"| {name} | {stage} | {count} | {size / 1e6:.2f} | {cpu:.3f} | {cpu / (size / 1e6):.3f} | {cpu_rate:.2f} "
            f"| {wall:.2f} | {wall_rate:.2f} |"
        )
    lines += earlier_rounds(OUTPUT)
    if seeds:
        lines += [
            "",
            f"Sanity check: the seed plans give {task_count} tasks in total; the first plan: “{plan['title']}”.",
        ]
    if laws:
        lines += corpus_counts(laws)
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
