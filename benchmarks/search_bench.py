"""Search benchmark: builds an index of N generated policies and times 50 queries.

    python benchmarks/search_bench.py [--docs 100000] [--corpus ../shared/corpus/laws] [--baseline-queries 50]

Documents are sentences recombined at random from a text folder (default: the law corpus), with random
metadata (department, theme, type, validity, date). Reports the build time and size of the index, the
p50/p99 latency of 50 queries through `search_policies` (ranking + facets + highlights, 20 hits a page),
the memory the search adds to the process, then the same queries through the plain `icontains` baseline
with hit counts compared, and writes benchmarks/results-search-<database>-<documents>.md.
Runs on a throw-away SQLite database (or on $DATABASE_URL if set: PostgreSQL).

On PostgreSQL, bulk_create bypasses the post_save handler: the inserted records wait in the pending list
(statement triggers); the rebuild (`gongkai reindex`) indexes them, or with --skip-rebuild the explicit
catch-up that every search runs first (timed separately).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

QUERIES = [
    # two characters
    "政务",
    "补贴",
    "公开",
    "许可",
    "安全",
    "环境",
    "税收",
    "医疗",
    "教育",
    "住房",
    "养老",
    "就业",
    "消防",
    "交通",
    "土地",
    "档案",
    # words that segment differently inside sentences, and common terms
    "适老化",
    "惠企政策",
    "营商环境",
    "信息公开",
    "行政处罚",
    "食品安全",
    "数据安全",
    "知识产权",
    "生态环境",
    "城市规划",
    "安全生产",
    "社会保险",
    "公共服务",
    "文物保护",
    "人民政府",
    "行政复议",
    "监督检查",
    "法律责任",
    "突发事件",
    "统计调查",
    "志愿服务",
    "无障碍环境",
    # longer phrases
    "依法申请行政复议",
    "县级以上地方人民政府",
    "由有关主管部门责令改正",
    "本条例自公布之日起施行",
    "国务院有关部门",
    "个人信息保护",
    # several terms, digits and mixed text
    "数据 安全",
    "政府 信息 公开",
    "2019",
    "第十条",
    "GB 标准",
    "首都功能",
]
assert len(QUERIES) == 50, len(QUERIES)
WARM_UP = ["条例", "管理办法", "通知"]


def percentile(values, p):
    if not values:  # e.g. --baseline-queries 0
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the rebuild's tokenizer workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def backend_cpu_seconds(connection) -> float | None:
    """CPU time of the PostgreSQL backend serving this connection (same machine only), else None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_sentences(folder: Path) -> list[str]:
    sentences = []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in (".md", ".txt") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
        for piece in re.split(r"(?<=[。！？；])|\n", text):
            piece = piece.strip().lstrip("#").strip()
            if 6 <= len(piece) <= 300:
                sentences.append(piece)
    return sentences


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "laws"))
    parser.add_argument(
        "--sentences", type=int, nargs=2, default=(8, 30), help="sentences per document (min max)"
    )
    parser.add_argument(
        "--baseline-queries", type=int, default=50, help="how many queries also run on the baseline"
    )
    parser.add_argument("--output", help="default: benchmarks/results-search-<database>-<documents>.md")
    parser.add_argument("--seed", type=int, default=20241121)
    parser.add_argument(
        "--skip-rebuild", action="store_true", help="do not time a full rebuild after the insert"
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="with --reuse-dir: time a full rebuild before the queries"
    )
    parser.add_argument(
        "--reuse-dir",
        help="run only the queries, on the database a previous run left in this folder (GONGKAI_VAR_DIR)",
    )
    args = parser.parse_args()

    corpus = Path(args.corpus)
    if not corpus.is_dir():
        corpus = Path(os.environ.get("GONGKAI_SHARED_DIR", "/nonexistent")) / "corpus" / "laws"
    if not corpus.is_dir():
        sys.exit(f"text folder not found: {args.corpus}")

    # On tmpfs when there is one: the shared disk of the build machine is not what is measured.
    shm = Path("/dev/shm")
    if args.reuse_dir:
        workdir = args.reuse_dir
    else:
        workdir = tempfile.mkdtemp(prefix="gongkai-search-bench-", dir=str(shm) if shm.is_dir() else None)
    os.environ["GONGKAI_VAR_DIR"] = workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from gongkai.core.models import Department
    from gongkai.core.seed_departments import seed_departments
    from gongkai.policies.models import DisclosureAttribute, Policy, PolicyType, Theme, Validity
    from gongkai.policies.themes import seed_themes
    from gongkai.search import index
    from gongkai.search.service import baseline_search, search_policies

    call_command("migrate", verbosity=0)
    seed_departments()
    seed_themes()
    rng = random.Random(args.seed)
    sentences = load_sentences(corpus)
    departments = list(Department.objects.values_list("pk", flat=True))
    themes = list(Theme.objects.values_list("pk", flat=True))
    print(f"{len(sentences)} sentences from {corpus}; generating {args.docs} documents", flush=True)

    title_patterns = [
        "关于{}的通知",
        "关于{}的实施意见",
        "{}管理办法",
        "关于进一步加强{}工作的意见",
        "{}实施方案",
    ]
    title_words = [w for w in re.findall(r"[\u4e00-\u9fff]{2,6}", " ".join(rng.sample(sentences, 5000)))][
        :20000
    ]

    def make(i):
        title = rng.choice(title_patterns).format(rng.choice(title_words))
        body = "\n".join(rng.choice(sentences) for _ in range(rng.randint(*args.sentences)))
        day = datetime.date(2012, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 13))
        return Policy(
            index_number=f"BENCH-{i:07d}",
            title=title,
            doc_number=f"西政发〔{day.year}〕{rng.randint(1, 60)}号" if rng.random() < 0.5 else "",
            issuer_id=rng.choice(departments),
            theme_id=rng.choice(themes),
            policy_type=rng.choice(PolicyType.values),
            validity=rng.choice(Validity.values),
            disclosure=DisclosureAttribute.PROACTIVE
            if rng.random() < 0.9
            else DisclosureAttribute.ON_REQUEST,
            written_date=day,
            publish_date=day,
            body=body,
            live=True,
        )

    # 1. Insert: the triggers write each index row in the insert statement (this is the import cost).
    started = time.perf_counter()
    chars = 0
    batch = 2000
    if args.reuse_dir:
        args.docs = Policy.objects.count()
        args.skip_rebuild = not args.rebuild
        chars = sum(len(t) + len(b) for t, b in Policy.objects.values_list("title", "body").iterator())
    for start in range(0, 0 if args.reuse_dir else args.docs, batch):
        rows = [make(i) for i in range(start, min(args.docs, start + batch))]
        chars += sum(len(r.body) + len(r.title) for r in rows)
        with transaction.atomic():
            Policy.objects.bulk_create(rows)
        print(f"  inserted {start + len(rows)}", end="\r", flush=True)
    insert_seconds = None if args.reuse_dir else time.perf_counter() - started
    if insert_seconds is not None:
        print(f"\ninsert with indexing: {insert_seconds:.1f} s", flush=True)

    # 2. Rebuild from scratch (what `gongkai reindex` does).
    rebuild_seconds = catch_up_seconds = None
    rebuild_cpu = ""
    if not args.skip_rebuild:
        cpu_before, backend_before = cpu_seconds(), backend_cpu_seconds(connection)
        started = time.perf_counter()
        index.rebuild()
        rebuild_seconds = time.perf_counter() - started
        python_cpu = cpu_seconds() - cpu_before
        rebuild_cpu = f"; CPU: Python {python_cpu:.0f} s (with the tokenizer workers)"
        backend_after = backend_cpu_seconds(connection)
        if backend_before is not None and backend_after is not None:
            database_cpu = backend_after - backend_before
            rebuild_cpu += (
                f", PostgreSQL backend {database_cpu:.0f} s: {args.docs / (python_cpu + database_cpu):,.0f}"
                " docs per CPU-second"
            )
        print(
            f"rebuild: {rebuild_seconds:.1f} s ({args.docs / rebuild_seconds:,.0f} docs/s){rebuild_cpu}",
            flush=True,
        )
    elif connection.vendor == "postgresql":
        from gongkai.search import pg

        started = time.perf_counter()
        pg.catch_up()
        catch_up_seconds = time.perf_counter() - started
        print(f"catch-up of the bulk-inserted records: {catch_up_seconds:.1f} s", flush=True)

    size_note = ""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            if not args.reuse_dir:
                cursor.execute("VACUUM")
            try:
                cursor.execute(
                    "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'search_policy_fts%' GROUP BY name"
                )
                parts = cursor.fetchall()
                fts_bytes = sum(p[1] for p in parts)
                cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name = 'policies_policy'")
                table_bytes = cursor.fetchone()[0]
                size_note = f"index {fts_bytes / 1e6:.0f} MB (policy table {table_bytes / 1e6:.0f} MB)"
            except Exception as exc:  # dbstat may be missing from the SQLite build
                size_note = f"(dbstat unavailable: {exc})"
        db_bytes = Path(connection.settings_dict["NAME"]).stat().st_size
        size_note += f"; database file {db_bytes / 1e6:.0f} MB"
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_total_relation_size('search_pg_post'), pg_total_relation_size('search_pg_grams'),"
                " pg_total_relation_size('search_pg_text'),"
                " pg_total_relation_size('policies_policy'), pg_database_size(current_database())"
            )
            base, grams, texts, table, database = cursor.fetchone()
            cursor.execute(
                "SELECT (SELECT count(*) FROM search_pg_text), (SELECT count(*) FROM search_pg_post),"
                " (SELECT count(*) FROM search_pg_stale)"
            )
            indexed, base_rows, stale = cursor.fetchone()
            size_note = (
                f"index {base / 1e6:.0f} MB (base posting lists, {base_rows:,} rows)"
                f" + {grams / 1e6:.0f} MB (delta: gram tsvectors and GIN, {stale:,} stale records)"
                f" + {texts / 1e6:.0f} MB (normalised text);"
                f" policy table {table / 1e6:.0f} MB; database {database / 1e6:.0f} MB; {indexed:,} records indexed"
            )
    print(size_note, flush=True)

    def run(func, queries):
        times, totals = [], []
        for q in queries:
            started = time.perf_counter()
            result = func(q)
            _ = [(h.title_html, h.snippet_html) for h in result.hits]
            times.append((time.perf_counter() - started) * 1000)
            totals.append(result.total)
        return times, totals

    def rss_mb():
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    from gongkai.search import fast

    rss_before = rss_mb()
    started = time.perf_counter()
    meta = fast.load_meta()
    load_seconds = time.perf_counter() - started
    queries_load = os.getloadavg()
    run(search_policies, WARM_UP)  # warm the page cache (queries not measured)
    fast_ms, fast_totals = run(search_policies, QUERIES)
    rss_after = rss_mb()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    memory_note = (
        f"metadata copy {meta.nbytes() / 1e6:.1f} MB (loaded in {load_seconds:.2f} s); process RSS "
        f"{rss_before:.0f} MB before loading it, {rss_after:.0f} MB after the 50 queries"
        f" (peak of the benchmark process {peak:.0f} MB, including the build)"
    )
    print(memory_note, flush=True)
    print(
        f"search_policies: p50 {percentile(fast_ms, 50):.1f} ms  p99 {percentile(fast_ms, 99):.1f} ms",
        flush=True,
    )
    base_queries = QUERIES[: args.baseline_queries]
    base_ms, base_totals = run(baseline_search, base_queries)
    print(f"icontains baseline: p50 {percentile(base_ms, 50):.1f} ms  p99 {percentile(base_ms, 99):.1f} ms")

    # Where the index finds more than the baseline, it is the NFKC/whole-term semantics; report differences.
    differences = [
        (q, f, b)
        for q, f, b in zip(base_queries, fast_totals, base_totals, strict=False)
        if f != b and " " not in q
    ]

    machine = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    if connection.vendor == "sqlite":
        database = f"sqlite {connection.Database.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
            settings_note = []
            for name in ("shared_buffers", "work_mem", "maintenance_work_mem", "effective_cache_size"):
                cursor.execute(f"SHOW {name}")
                settings_note.append(f"{name} {cursor.fetchone()[0]}")
        database = f"postgresql {version} ({', '.join(settings_note)})"
    load_end = os.getloadavg()
    lines = [
        "# Search benchmark",
        "",
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: `{machine}`, {os.cpu_count()} cores, Python {platform.python_version()}, database {database}",
        f"- command: `python benchmarks/search_bench.py {' '.join(sys.argv[1:])}`"
        + (f"; database in `{workdir}`" if connection.vendor == "sqlite" else ""),
        f"- load average (1/5/15 min) before the queries: {queries_load[0]:.1f} / {queries_load[1]:.1f} /"
        f" {queries_load[2]:.1f}; when finished: {load_end[0]:.1f} (other engineers' jobs share the 2 cores)",
        f"- documents: {args.docs:,} generated from {len(sentences):,} sentences of `{corpus.name}` "
        f"({args.sentences[0]}–{args.sentences[1]} sentences each, {chars / 1e6:.0f} M characters in all)",
        "",
        "| measure | value |",
        "|---|---|",
        "| insert with indexing (bulk_create, triggers) | "
        + (
            f"{insert_seconds:.1f} s ({args.docs / insert_seconds:,.0f} docs/s) |"
            if insert_seconds
            else "not timed (--reuse-dir) |"
        ),
        "| full rebuild (`gongkai reindex`) | "
        + (
            f"{rebuild_seconds:.1f} s ({args.docs / rebuild_seconds:,.0f} docs/s){rebuild_cpu} |"
            if rebuild_seconds is not None
            else "not timed (--skip-rebuild) |"
        ),
        *(
            [f"| catch-up of the bulk-inserted records (pending list) | {catch_up_seconds:.1f} s |"]
            if catch_up_seconds is not None
            else []
        ),
        f"| size | {size_note} |",
        f"| memory | {memory_note} |",
        f"| `search_policies` p50 / p99 ({len(QUERIES)} queries) | {percentile(fast_ms, 50):.1f} ms / {percentile(fast_ms, 99):.1f} ms |",
        f"| `search_policies` max | {max(fast_ms):.1f} ms |",
        f"| icontains baseline p50 / p99 ({len(base_queries)} queries) | {percentile(base_ms, 50):.1f} ms / {percentile(base_ms, 99):.1f} ms |",
        "",
        "Each query: 20 hits ranked (title > whole word > other, then newest), total count, five facets "
        "(department, year, type, theme, validity) with counts, title and snippet highlights.",
        "",
        "| query | hits | ms | baseline hits | baseline ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for i, q in enumerate(QUERIES):
        base = f"{base_totals[i]} | {base_ms[i]:.0f}" if i < len(base_queries) else "– | –"
        lines.append(f"| {q} | {fast_totals[i]} | {fast_ms[i]:.1f} | {base} |")
    compared = [q for q in base_queries if " " not in q]
    if differences:
        lines += ["", "Queries where the counts differ (index vs baseline):", ""]
        lines += [f"- {q}: {f} vs {b}" for q, f, b in differences]
    else:
        lines += [
            "",
            f"Hit counts equal to the baseline on all {len(compared)} single-term baseline queries.",
        ]
    print(f"count differences against the baseline: {differences or 'none'}")
    output = args.output or str(ROOT / "benchmarks" / f"results-search-{connection.vendor}-{args.docs}.md")
    Path(output).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {output}")


if __name__ == "__main__":
    main()
