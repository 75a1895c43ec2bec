"""Load benchmark of `gongkai serve` with locust (as a library).

    python benchmarks/load_bench.py [--users 50] [--seconds 60] [--workers N] [--port 8112]
    bash scripts/with-throwaway-postgres.sh .venv/bin/python benchmarks/load_bench.py   # on PostgreSQL

1. Prepares a site in `var/bench-<database>/` once: `migrate`, `demo-data` (with the law corpus when
   ../shared/corpus/laws is there) and five disclosure requests whose query codes the benchmark tracks.
2. Starts `gongkai serve` (production settings) with GONGKAI_BENCHMARK_VIEWS=1 (a hello-world view) and the
   per-address form limits lifted (every simulated visitor comes from 127.0.0.1).
3. Mixed run: USERS concurrent users, no think time, for SECONDS: browse (home, lists, policy pages, feed) 60,
   search 20, track 10, ask 5, apply 5 (weights). Apply, ask and track load the form first (CSRF cookie) and
   post it like a browser; apply waits the 3 seconds the form's spam guard requires.
4. Ratio run in the same run on the same server: hello-world, home, list, policy page, search (rotating over
   20 queries: served from the page cache after their first request), search (uncached: the same queries with a
   parameter that is new each time, so never in the page cache), 8 keep-alive users, in 3-second slices interleaved round after round (RATIO_SECONDS each in
   all), so that the other jobs of a busy shared machine weigh on every endpoint alike.
5. Writes benchmarks/results-load-<database>.md (machine, date, load average before and after).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import gevent

# locust patches the standard library with gevent: import it first.
from locust import FastHttpUser, constant, task  # noqa: I001
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
GONGKAI = str(Path(sys.executable).with_name("gongkai"))
SECRET = "load-benchmark-secret-key-not-for-production"
QUERIES = [
    "补贴",
    "中小企业",
    "适老化",
    "人民政府",
    "第十条",
    "信息公开",
    "教育",
    "住房",
    "环境保护",
    "医疗",
    "营商环境",
    "行政处罚",
    "食品安全",
    "就业",
    "养老",
    "交通",
    "消防",
    "土地",
    "档案",
    "数据安全",
]
SETUP_SCRIPT = """
import json
from gongkai.core.models import Department
from gongkai.disclosure import actions
from gongkai.policies.models import Policy
issuer = Department.objects.get(short_name="区发展改革委")
tracked = []
for i in range(5):
    data = dict(applicant_type="natural_person", applicant_name="张三丰", id_type="id_card",
        id_number="11010519491231002X", phone="13812345678", email="zhangsan@example.com",
        address="北京市西城区某某街道甲1号", postal_code="100032", information_title=f"老旧小区改造清单{i}",
        description="西城区老旧小区综合整治项目的名单及资金安排", information_form="electronic",
        delivery_method="online", department=issuer, organization_kind="", legal_representative="",
        contact_person="", information_doc_number="")
    req, code = actions.create_request(actor=None, channel="online", data=data)
    tracked.append([req.tracking_number, code])
policies = list(Policy.objects.public().order_by("-publish_date", "-id").values_list("pk", flat=True)[:300])
print("SETUP " + json.dumps({"tracked": tracked, "policies": policies}))
"""


SERVICE_TIME_SCRIPT = """
import json, time, urllib.parse
from django.test import Client
info = json.loads(INFO)
policies, queries = info["policies"], QUERIES
c = Client(HTTP_HOST="127.0.0.1")
paths = {
    "hello-world view": lambda i: "/_bench/hello",
    "home": lambda i: "/",
    "list": lambda i: f"/policies/?page={i % 5 + 1}",
    "policy page": lambda i: f"/policies/{policies[i % len(policies)]}/",
    "search": lambda i: "/search/?q=" + urllib.parse.quote(queries[i % len(queries)]),
    "search (uncached)": lambda i: "/search/?q=" + urllib.parse.quote(queries[i % len(queries)]) + f"&n={time.time_ns()}",
}
for label, f in paths.items():  # warm up: every page once (the page cache holds them afterwards)
    for i in range(len(policies) if label == "policy page" else 20):
        c.get(f(i))
best = {}
for rep in range(REPS):
    for label, f in paths.items():
        n = 20 if label.startswith("search") else 200
        start = time.perf_counter()
        for i in range(n):
            c.get(f(i))
        ms = (time.perf_counter() - start) / n * 1000
        best[label] = min(best.get(label, ms), ms)
print("SERVICE " + json.dumps(best))
"""


def service_times(env: dict, info: dict, reps: int = 5) -> dict:
    """Per-request time of each endpoint inside one Django process (test client, no network, one thread), the
    best of `reps` rounds: a shared machine's other jobs can only slow a round down, so the best round is the
    closest to the real cost. Complements the throughput run, which a busy machine distorts."""
    code = (
        "import django; django.setup()\n"
        + f"INFO = {json.dumps(json.dumps({'policies': info['policies']}))}\nQUERIES = {QUERIES!r}\nREPS = {reps}\n"
        + SERVICE_TIME_SCRIPT
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "ALLOWED_HOSTS": "127.0.0.1"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(next(x for x in out.splitlines() if x.startswith("SERVICE "))[8:])


def site_env(site: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="gongkai.settings.production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        GONGKAI_VAR_DIR=str(site),
        GONGKAI_HOME=str(ROOT),
        GONGKAI_BENCHMARK_VIEWS="1",
        GONGKAI_RATE_LIMITS=json.dumps(
            {name: [10**6, 3600] for name in ("disclosure.apply", "disclosure.track", "policies.ask")}
        ),
        LOG_LEVEL="WARNING",
        # Plain HTTP on loopback (no TLS proxy in front): cookies without the Secure flag, or no form works.
        CSRF_COOKIE_SECURE="false",
        SECURE_SSL_REDIRECT="false",  # no redirect to https (there is no TLS in front of the benchmark)
        SESSION_COOKIE_SECURE="false",
        PYTHONWARNINGS="ignore",
    )
    return env


def prepare_site(site: Path, env: dict) -> dict:
    info_file = site / "bench-setup.json"
    if info_file.exists():
        info = json.loads(info_file.read_text())
        if info.get("database_url") == env.get("DATABASE_URL"):  # a throwaway PostgreSQL is new each time
            subprocess.run([GONGKAI, "migrate", "--no-input", "-v0"], env=env, check=True)  # after an upgrade
            return info
        shutil.rmtree(site)
    site.mkdir(parents=True, exist_ok=True)
    print(f"preparing {site} (migrate, demo-data with the law corpus) …", flush=True)
    subprocess.run([GONGKAI, "migrate", "--no-input", "-v0"], env=env, check=True)
    subprocess.run([GONGKAI, "demo-data"], env=env, check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + SETUP_SCRIPT],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    info = json.loads(next(x for x in out.splitlines() if x.startswith("SETUP "))[6:])
    info["database_url"] = env.get("DATABASE_URL")
    info_file.write_text(json.dumps(info))
    return info


def _csrf(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, "PNG")
    return out.getvalue()


def mixed_user(info: dict):
    policies, tracked, png = info["policies"], info["tracked"], _png()

    class Visitor(FastHttpUser):
        wait_time = constant(0)

        @task(60)
        def browse(self):
            choice = random.random()
            if choice < 0.2:
                self.client.get("/", name="browse: home")
            elif choice < 0.4:
                self.client.get(f"/policies/?page={random.randint(1, 5)}", name="browse: list")
            elif choice < 0.5:
                self.client.get("/normative/", name="browse: normative list")
            elif choice < 0.55:
                self.client.get("/feed/", name="browse: feed")
            else:
                self.client.get(f"/policies/{random.choice(policies)}/", name="browse: policy page")

        @task(20)
        def search(self):
            self.client.get("/search/", params={"q": random.choice(QUERIES)}, name="search")

        @task(10)
        def track(self):
            page = self.client.get("/disclosure/track/", name="track: form")
            number, code = random.choice(tracked)
            with self.client.post(
                "/disclosure/track/",
                data={"csrfmiddlewaretoken": _csrf(page.text), "tracking_number": number, "query_code": code},
                name="track: post",
                catch_response=True,
            ) as response:
                if number not in (response.text or ""):
                    response.failure("tracking answer without the request")

        @task(5)
        def ask(self):
            pk = random.choice(policies)
            page = self.client.get(f"/review/policies/{pk}/ask/", name="ask: form")
            token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)
            gevent.sleep(3.1)  # the spam guard refuses answers faster than a person could type them
            self.client.post(
                f"/review/policies/{pk}/ask/",
                data={
                    "csrfmiddlewaretoken": _csrf(page.text),
                    "form_token": token,
                    "kind": "question",
                    "question": f"请问本文件的适用范围是否包括个体工商户？（{random.randint(1, 10**9)}）",
                    "website": "",
                },
                name="ask: post",
                allow_redirects=False,
            )

        @task(5)
        def apply(self):
            page = self.client.get("/disclosure/", name="apply: form")
            token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)
            department = re.search(r'<option value="(\d+)"', page.text).group(1)
            gevent.sleep(3.1)  # the form refuses answers faster than a person could type them
            fields = {
                "csrfmiddlewaretoken": _csrf(page.text),
                "form_token": token,
                "applicant_type": "natural_person",
                "applicant_name": "李四",
                "id_type": "id_card",
                "id_number": "11010519491231002X",
                "phone": "13812345678",
                "email": "lisi@example.com",
                "address": "北京市西城区某某街道乙2号",
                "postal_code": "100032",
                "department": department,
                "information_title": "2024年度老旧小区改造项目清单",
                "description": "西城区2024年度老旧小区综合整治项目的名单及资金安排",
                "information_form": "electronic",
                "delivery_method": "online",
                "promise": "on",
                "website": "",
            }
            body, content_type = _multipart(fields, "identity_proof", "id.png", png)
            with self.client.post(
                "/disclosure/",
                data=body,
                headers={"Content-Type": content_type},
                name="apply: post",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302:
                    response.failure(f"apply answered {response.status_code}")

    return Visitor


def _multipart(fields: dict, file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = f"----gongkai{random.randint(0, 10**12)}"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: image/png\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def single_path_user(path_func):
    class Client(FastHttpUser):
        wait_time = constant(0)

        @task
        def get(self):
            path = path_func()
            with self.client.get(path, name="ratio", catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"{path}: {response.status_code}")

    return Client


def run_load(host: str, user_class, users: int, seconds: float) -> Environment:
    env = Environment(user_classes=[user_class], host=host)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.sleep(seconds)
    runner.quit()
    return env


def start_server(env: dict, port: int, workers: int | None) -> subprocess.Popen:
    args = [GONGKAI, "serve", "--bind", f"127.0.0.1:{port}"]
    if workers:
        args += ["--workers", str(workers)]
    log = open(Path(env["GONGKAI_VAR_DIR"]) / "serve.log", "wb")  # noqa: SIM115 - lives with the server
    proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit("gongkai serve exited: " + Path(log.name).read_text()[-2000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("gongkai serve did not start, see " + str(log.name))


def stats_rows(env: Environment) -> list[tuple]:
    rows = []
    for entry in sorted(env.stats.entries.values(), key=lambda e: e.name):
        rows.append(
            (
                f"{entry.method} {entry.name}",
                entry.num_requests,
                entry.num_failures,
                entry.total_rps,
                entry.get_response_time_percentile(0.5),
                entry.get_response_time_percentile(0.99),
            )
        )
    return rows


def machine() -> str:
    cpu = ""
    try:
        cpu = next(x.split(":", 1)[1].strip() for x in open("/proc/cpuinfo") if x.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.node()}, {cpu}, {os.cpu_count()} cores, {mem:.0f} GB RAM, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--ratio-users", type=int, default=8)
    parser.add_argument("--ratio-seconds", type=float, default=30, help="per endpoint, in slices")
    parser.add_argument("--slice-seconds", type=float, default=3)
    parser.add_argument(
        "--workers", type=int, default=None, help="gongkai serve --workers (default: its own)"
    )
    parser.add_argument("--port", type=int, default=8112)
    parser.add_argument("--site", type=Path, default=None)
    parser.add_argument("--skip-mixed", action="store_true")
    parser.add_argument("--skip-ratio", action="store_true")
    parser.add_argument(
        "--output", type=Path, default=None, help="default: benchmarks/results-load-<database>.md"
    )
    args = parser.parse_args()

    database = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    site = args.site or ROOT / "var" / f"bench-{database}"
    env = site_env(site)
    info = prepare_site(site, env)
    load_before = os.getloadavg()
    started = datetime.datetime.now(datetime.UTC)
    server = start_server(env, args.port, args.workers)
    host = f"http://127.0.0.1:{args.port}"
    policies = info["policies"]
    try:
        for path in ["/", "/policies/", "/normative/", "/feed/", "/_bench/hello"] + [
            f"/policies/{pk}/" for pk in policies
        ]:
            urllib.request.urlopen(host + path, timeout=30).read()
        mixed = None
        if not args.skip_mixed:
            print(f"mixed run: {args.users} users, {args.seconds:.0f} s …", flush=True)
            mixed = run_load(host, mixed_user(info), args.users, args.seconds)
        ratio = []
        if not args.skip_ratio:
            counter = iter(range(10**9))
            paths = [
                ("hello-world view", lambda: "/_bench/hello"),
                ("home", lambda: "/"),
                ("list", lambda: f"/policies/?page={next(counter) % 5 + 1}"),
                ("policy page", lambda: f"/policies/{policies[next(counter) % len(policies)]}/"),
                ("search", lambda: "/search/?q=" + urllib.parse.quote(QUERIES[next(counter) % len(QUERIES)])),
                # a parameter the page ignores, new each time: never in the page cache, what a rare query costs
                (
                    "search (uncached)",
                    lambda: (
                        "/search/?q="
                        + urllib.parse.quote(QUERIES[next(counter) % len(QUERIES)])
                        + f"&n={next(counter)}"
                    ),
                ),
            ]
            # Interleaved: short slices, endpoint after endpoint, round after round, so that the other jobs on
            # a shared machine weigh on every endpoint alike.
            totals = {
                label: {"requests": 0, "failures": 0, "seconds": 0.0, "p50": [], "p99": []}
                for label, _f in paths
            }
            rounds = max(1, round(args.ratio_seconds / args.slice_seconds))
            for number in range(rounds):
                print(f"ratio run: round {number + 1}/{rounds} …", flush=True)
                for label, func in paths:
                    result = run_load(host, single_path_user(func), args.ratio_users, args.slice_seconds)
                    total = result.stats.total
                    entry = totals[label]
                    entry["requests"] += total.num_requests
                    entry["failures"] += total.num_failures
                    entry["seconds"] += args.slice_seconds
                    entry["p50"].append(total.get_response_time_percentile(0.5) or 0)
                    entry["p99"].append(total.get_response_time_percentile(0.99) or 0)
            for label, entry in totals.items():
                ratio.append(
                    (
                        label,
                        entry["requests"] / entry["seconds"],
                        entry["failures"],
                        sorted(entry["p50"])[len(entry["p50"]) // 2],
                        max(entry["p99"]),
                    )
                )
    finally:
        server.terminate()
        server.wait(timeout=60)
    service = None if args.skip_ratio else service_times(env, info)
    load_after = os.getloadavg()
    write_results(args, database, site, started, load_before, load_after, mixed, ratio, info, service)


def write_results(
    args, database, site, started, load_before, load_after, mixed, ratio, info, service
) -> None:
    from gongkai.server import default_workers

    workers = args.workers or default_workers()
    lines = [
        f"## Load benchmark ({database})",
        "",
        f"- date: {started:%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- load average (1/5/15 min) before: {'/'.join(f'{x:.1f}' for x in load_before)}, after: "
        f"{'/'.join(f'{x:.1f}' for x in load_after)} (other engineers' jobs and the load generator share the cores)",
        f"- server: `gongkai serve --workers {workers}` (gunicorn gthread, 4 threads), production settings, "
        f"{database}, demo data with the law corpus ({len(info['policies'])}+ public policies), site `{site}`",
        f"- command: `python benchmarks/load_bench.py --users {args.users} --seconds {args.seconds:.0f}"
        f" --ratio-seconds {args.ratio_seconds:.0f}`; load generator: locust {__import__('locust').__version__}"
        " (FastHttpUser, keep-alive, no think time) on the same machine",
        "",
    ]
    if mixed is not None:
        total = mixed.stats.total
        lines += [
            f"### Mixed: {args.users} users for {args.seconds:.0f} s",
            "",
            f"**{total.num_requests} requests, {total.num_failures} errors, {total.total_rps:.0f} req/s, "
            f"p50 {total.get_response_time_percentile(0.5):.0f} ms, p99 {total.get_response_time_percentile(0.99):.0f} ms**",
            "",
            "| request | count | errors | req/s | p50 ms | p99 ms |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, count, failures, rps, p50, p99 in stats_rows(mixed):
            lines.append(f"| {name} | {count} | {failures} | {rps:.1f} | {p50:.0f} | {p99:.0f} |")
        errors = list(mixed.stats.errors.values())
        if errors:
            lines += ["", "Errors:"] + [f"- {e.method} {e.name}: {e.error} ×{e.occurrences}" for e in errors]
        lines.append("")
    if ratio:
        hello = ratio[0][1]
        lines += [
            f"### Throughput against a hello-world view ({args.ratio_users} keep-alive users; each endpoint "
            f"{args.ratio_seconds:.0f} s in all, in {args.slice_seconds:.0f}-second slices interleaved with the "
            "others)",
            "",
            "| page | req/s | ratio to hello-world | errors | median p50 ms | worst p99 ms | target |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        targets = {"home": "≥ 50 %", "list": "≥ 50 %", "policy page": "≥ 50 %", "search": "≥ 20 %"}
        for label, rps, failures, p50, p99 in ratio:
            lines.append(
                f"| {label} | {rps:.0f} | {100 * rps / hello:.0f} % | {failures} | {p50:.0f} | {p99:.0f} | "
                f"{targets.get(label, '')} |"
            )
        lines.append("")
    if service:
        base = service["hello-world view"]
        lines += [
            "### Service time per request in one process (best of 5 rounds; Django test client, no network)",
            "",
            "| page | ms per request | throughput as a ratio to hello-world (= hello ms / page ms) |",
            "|---|---:|---:|",
        ]
        for label, ms in service.items():
            lines.append(f"| {label} | {ms:.2f} | {100 * base / ms:.0f} % |")
        lines.append("")
    out = args.output or ROOT / "benchmarks" / f"results-load-{database}.md"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"written to {out}")


if __name__ == "__main__":
    import urllib.parse  # noqa: F401 - used by the ratio paths

    main()
