"""Matching speed: one enterprise profile against 10,000 published redemption items (target p99 ≤ 200 ms), and
100,000 enterprises of a dataset against one item (target ≤ 5 s), on a throwaway SQLite database.

Run: `python benchmarks/match_bench.py [--items 10000] [--enterprises 100000] [--profiles 200]` from the
repository root. Writes benchmarks/results-match.md.

The items are generated (500 published 兑现办事 policies, 10,000 items with 2–7 conditions each: industries,
thresholds, sizes, qualifications, 街道, founding years, OR groups) and written with bulk inserts — the setup
is not what is measured. The profiles are the facts of generated enterprises (`redemption.generate`), so some
conditions are unknown, as on the portal.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
os.environ.setdefault("GONGKAI_VAR_DIR", tempfile.mkdtemp(prefix="gongkai-match-bench-", dir=shm))
os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings.dev"
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

AS_OF = datetime.date(2025, 7, 1)


def percentile(values, p):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def setup_database():
    call_command("migrate", verbosity=0)
    from gongkai.core.seed_departments import seed_departments
    from gongkai.policies.themes import seed_themes
    from gongkai.redemption.tags import seed_tag_library

    seed_departments()
    seed_themes()
    seed_tag_library()


LEAVES = [
    lambda r: ("industry", "in", r.sample(["65", "64", "72", "73", "74", "51", "52", "I", "M", "J", "R", "62"], r.randint(1, 3))),
    lambda r: ("revenue", "gte", r.choice([100, 300, 500, 1000, 2000, 5000])),
    lambda r: ("revenue", "lte", r.choice([1000, 2000, 5000])),
    lambda r: ("employees", "gte", r.choice([5, 10, 20, 50, 100])),
    lambda r: ("employees", "lte", r.choice([50, 100, 300])),
    lambda r: ("size", "lte", r.choice(["medium", "small", "micro"])),
    lambda r: ("qualifications", "has_any", r.sample(["hnte", "tsme", "srdi", "little_giant", "zgc_hnte"], r.randint(1, 2))),
    lambda r: ("area", "in", r.sample([f"XCJD{n:02d}" for n in range(1, 16)], r.randint(1, 4))),
    lambda r: ("years_established", "gte", r.choice([1, 2, 3, 5, 10])),
    lambda r: ("in_district", "is_true", None),
    lambda r: ("good_credit", "is_true", None),
    lambda r: ("rd_ratio", "gte", r.choice([3, 5, 8])),
    lambda r: ("founded_on", "on_or_after", r.choice(["2020-01-01", "2023-01-01"])),
]  # fmt: skip


def build_items(n_items: int, n_policies: int = 500):
    from gongkai.core.models import Department
    from gongkai.policies import actions as policy_actions
    from gongkai.redemption.models import Condition, ItemStatus, NodeKind, RedemptionItem, TagValue
    from gongkai.redemption.tags import bump_version

    rng = random.Random(10_000)
    departments = list(Department.objects.filter(kind="bureau", makes_policy=True))
    policies = []
    for i in range(n_policies):
        policy = policy_actions.create_policy(
            actor=None,
            title=f"测试惠企政策{i}",
            issuer=rng.choice(departments),
            policy_type="service",
            written_date=datetime.date(2025, 1, 2),
            publish_date=datetime.date(2025, 1, 3),
            effective_date=datetime.date(2025, 1, 3),
            body="第一条 测试。",
        )
        policies.append(policy_actions.publish_policy(policy, actor=None, override_reason="benchmark"))
    delivery = list(TagValue.objects.filter(dimension="delivery"))
    support = list(TagValue.objects.filter(dimension="support"))
    now = timezone.now()
    items = []
    for i in range(n_items):
        policy = policies[i % n_policies]
        items.append(
            RedemptionItem(
                policy=policy,
                code=f"{policy.index_number}-{i // n_policies + 1:02d}",
                title=f"测试兑现事项{i}",
                department=policy.issuer,
                status=ItemStatus.PUBLISHED,
                published_at=now,
                amount_kind="fixed",
                amount_value=rng.choice([5, 10, 20, 50]),
                support_standard="测试",
            )
        )
    RedemptionItem.objects.bulk_create(items, batch_size=2000)
    items = list(RedemptionItem.objects.all())
    through = RedemptionItem.tags.through
    through.objects.bulk_create(
        [through(redemptionitem_id=it.pk, tagvalue_id=rng.choice(delivery).pk) for it in items]
        + [through(redemptionitem_id=it.pk, tagvalue_id=rng.choice(support).pk) for it in items],
        batch_size=5000,
    )
    roots = Condition.objects.bulk_create(
        [Condition(item=it, kind=NodeKind.ALL) for it in items], batch_size=2000
    )
    leaves, groups = [], []
    for item, root in zip(items, roots, strict=True):
        for k in range(rng.randint(2, 6)):
            fact, op, value = rng.choice(LEAVES)(rng)
            leaves.append(
                Condition(
                    item=item,
                    parent=root,
                    kind=NodeKind.FACT,
                    fact=fact,
                    op=op,
                    value=value,
                    clause_article="第一条",
                    clause_text="测试。",
                    sort_order=k,
                )
            )
        if rng.random() < 0.3:
            groups.append((item, Condition(item=item, parent=root, kind=NodeKind.ANY, sort_order=99)))
    Condition.objects.bulk_create(leaves, batch_size=5000)
    made = Condition.objects.bulk_create([g for _i, g in groups], batch_size=2000)
    alternatives = []
    for (item, _g), group in zip(groups, made, strict=True):
        for k in range(2):
            fact, op, value = rng.choice(LEAVES)(rng)
            alternatives.append(
                Condition(
                    item=item,
                    parent=group,
                    kind=NodeKind.FACT,
                    fact=fact,
                    op=op,
                    value=value,
                    clause_article="第一条",
                    clause_text="测试。",
                    sort_order=k,
                )
            )
    Condition.objects.bulk_create(alternatives, batch_size=5000)
    bump_version()
    return Condition.objects.filter(kind=NodeKind.FACT).count()


def bench_profile(n_profiles: int):
    from gongkai.redemption.generate import enterprises
    from gongkai.redemption.matching import match_facts

    profiles = [r.facts for r in enterprises(n_profiles, seed=77, as_of=AS_OF)]
    start = time.perf_counter()
    report = match_facts(profiles[0], as_of=AS_OF)  # first request of a process builds the cache
    cold = time.perf_counter() - start
    times, cpu, json_times = [], [], []
    counts = {"eligible": 0, "unknown": 0, "not_eligible": 0}
    for facts in profiles:
        start, start_cpu = time.perf_counter(), time.process_time()
        report = match_facts(facts, as_of=AS_OF)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        for key, value in report.counts().items():
            counts[key] += value
    for facts in profiles[:20]:
        start = time.perf_counter()
        report = match_facts(facts, as_of=AS_OF)
        report.as_json(results=["eligible", "unknown"])
        json_times.append(time.perf_counter() - start)
    full = []
    for facts in profiles[:5]:
        start = time.perf_counter()
        report = match_facts(facts, as_of=AS_OF)
        report.as_json()
        full.append(time.perf_counter() - start)
    return {
        "items": len(report.matches),
        "cold": cold,
        "p50": statistics.median(times),
        "p99": percentile(times, 99),
        "max": max(times),
        "cpu_p50": statistics.median(cpu),
        "cpu_p99": percentile(cpu, 99),
        "json_p50": statistics.median(json_times),
        "json_max": max(json_times),
        "full_json_p50": statistics.median(full),
        "avg_counts": {k: v / len(profiles) for k, v in counts.items()},
    }


def bench_enterprises(n: int):
    from gongkai.core.models import Department
    from gongkai.redemption import actions
    from gongkai.redemption.generate import enterprises
    from gongkai.redemption.matching import compile_item, screen
    from gongkai.redemption.models import RedemptionItem, TagValue
    from gongkai.redemption.sandbox import run_sandbox

    department = Department.objects.get(short_name="区发展改革委")
    start = time.perf_counter()
    records = enterprises(n, seed=100, as_of=AS_OF)
    dataset = actions.create_dataset_from_records(
        actor=None, department=department, title="十万家", records=records
    )
    loaded = time.perf_counter() - start
    item = RedemptionItem.objects.filter(status="published").first()
    item.department = department
    item.save()
    item.tags.add(TagValue.objects.get(dimension="delivery", code="no_application"))
    compiled = compile_item(item)
    times, cpu = [], []
    for _ in range(3):
        start, start_cpu = time.perf_counter(), time.process_time()
        counted = {"eligible": 0, "unknown": 0, "not_eligible": 0}
        for row in screen(compiled, actions._records_of(dataset), as_of=AS_OF):
            counted[row.result] += 1
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    start = time.perf_counter()
    run = actions.screen_no_application(item, dataset, actor=None, as_of=AS_OF)
    full_run = time.perf_counter() - start
    start = time.perf_counter()
    sandbox = run_sandbox(compiled, actions._records_of(dataset), as_of=AS_OF)
    sandbox_time = time.perf_counter() - start
    return {
        "n": n,
        "load": loaded,
        "screen_best": min(times),
        "screen_all": times,
        "screen_cpu": min(cpu),
        "counts": counted,
        "rule": [leaf.text for leaf in compiled.leaves],
        "full_run": full_run,
        "stored": run.beneficiaries.count(),
        "sandbox": sandbox_time,
        "variants": sum(len(t["rows"]) for t in sandbox["thresholds"]),
    }


def machine() -> str:
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    return f"`{uname}`, {os.cpu_count()} cores, Python {platform.python_version()}, database sqlite {__import__('sqlite3').sqlite_version}"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--profiles", type=int, default=200)
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results-match.md"))
    args = parser.parse_args()
    started = datetime.datetime.now(datetime.UTC)
    setup_database()
    t = time.perf_counter()
    leaves = build_items(args.items)
    built = time.perf_counter() - t
    print(f"{args.items} items, {leaves} conditions built in {built:.1f} s", flush=True)
    profile = bench_profile(args.profiles)
    print(
        f"profile vs items: p50 {profile['p50'] * 1000:.1f} ms, p99 {profile['p99'] * 1000:.1f} ms",
        flush=True,
    )
    mass = bench_enterprises(args.enterprises)
    print(f"{mass['n']} enterprises vs one item: {mass['screen_best']:.2f} s", flush=True)
    load = os.getloadavg()
    lines = [
        "## Matching benchmark",
        "",
        f"- date: {started:%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- command: `python benchmarks/match_bench.py --items {args.items} --enterprises {args.enterprises} --profiles {args.profiles}`; database in `{os.environ['GONGKAI_VAR_DIR']}`",
        f"- load average when finished: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (other engineers' jobs share the 2 cores)",
        f"- items: {args.items} published items of 500 policies, {leaves} conditions (2–6 each, 30 % with an OR group of 2); built in {built:.0f} s (bulk insert, not measured)",
        "",
        "### One profile against every current item (`matching.match_facts`, the work behind the portal, the API and `gongkai match`)",
        "",
        "| measure | target | value |",
        "|---|---|---|",
        f"| first request of a process (loads and compiles the {profile['items']} items) | — | {profile['cold'] * 1000:.0f} ms |",
        f"| match and rank, p50 ({args.profiles} generated profiles) | — | {profile['p50'] * 1000:.1f} ms |",
        f"| match and rank, p99 | ≤ 200 ms | **{profile['p99'] * 1000:.1f} ms** |",
        f"| match and rank, max | — | {profile['max'] * 1000:.1f} ms |",
        f"| CPU time of the process per request, p50 / p99 (what an unloaded core would take) | — | {profile['cpu_p50'] * 1000:.1f} / {profile['cpu_p99'] * 1000:.1f} ms |",
        f"| plus the explanation JSON of the eligible and unknown items, p50 / max (20 profiles) | — | {profile['json_p50'] * 1000:.1f} / {profile['json_max'] * 1000:.1f} ms |",
        f"| plus the explanation JSON of all {profile['items']} items, p50 (5 profiles) | — | {profile['full_json_p50'] * 1000:.0f} ms |",
        "",
        "Average result per profile: "
        + "，".join(f"{k} {v:.0f}" for k, v in profile["avg_counts"].items())
        + ".",
        "",
        "### Many enterprises against one item (免申即享 screening, the sandbox)",
        "",
        f"Rule: {'；'.join(mass['rule'])}",
        "",
        "| measure | target | value |",
        "|---|---|---|",
        f"| {mass['n']:,} enterprises read from the database and judged (best of 3: {', '.join(f'{t:.2f}' for t in mass['screen_all'])} s) | ≤ 5 s | **{mass['screen_best']:.2f} s** |",
        f"| CPU time of the process (best of 3; the database's own work runs in the same process for SQLite) | — | {mass['screen_cpu']:.2f} s |",
        f"| result | — | eligible {mass['counts']['eligible']}, unknown {mass['counts']['unknown']}, not eligible {mass['counts']['not_eligible']} |",
        f"| whole 免申即享 run: judge, explain and store {mass['stored']:,} beneficiaries (`screen_no_application`) | — | {mass['full_run']:.2f} s |",
        f"| sandbox with {mass['variants']} threshold variants | — | {mass['sandbox']:.2f} s |",
        f"| generate and store the dataset (setup, not measured) | — | {mass['load']:.0f} s |",
        "",
    ]
    Path(args.output).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
