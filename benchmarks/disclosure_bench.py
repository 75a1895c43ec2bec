"""Disclosure benchmarks: the deadline ledger, sending a reply (docx + PDF + seal + signature), verification,
and the annual report on a year of requests. Writes benchmarks/results-disclosure.md.

Run: GONGKAI_SHARED_DIR=/work/shared PYTHONPATH=src python benchmarks/disclosure_bench.py
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")
os.environ.setdefault("GONGKAI_VAR_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))


def timed(func, repeat):
    start = time.perf_counter()
    for _ in range(repeat):
        func()
    return (time.perf_counter() - start) / repeat


def main():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    from gongkai.core import calendar, roles
    from gongkai.core.models import Department, User
    from gongkai.core.seed_departments import seed_departments
    from gongkai.disclosure import actions, annual_report, clock, seals
    from gongkai.disclosure.models import DisclosureRequest, ReplyLetter
    from gongkai.disclosure.outcomes import Outcome

    seed_departments()
    calendar.seed_from_chinese_calendar()
    roles.ensure_roles()
    dept = Department.objects.get(short_name="区发展改革委")
    admin = User.objects.create_user("bench-admin", is_superuser=True, department=dept)
    officer = User.objects.create_user("bench-officer", department=dept)
    roles.assign_role(officer, roles.DEPARTMENT_OFFICER)
    actions.generate_department_seal(dept, actor=admin)

    rows = []
    d = datetime.date(2024, 9, 27)
    pause = [clock.Pause(datetime.date(2024, 10, 8), datetime.date(2024, 10, 25), "征求意见", "x")]
    t = timed(lambda: clock.compute_deadline(d, extension_days=20, pauses=pause), 2000)
    rows.append(("compute_deadline (40 working days, one pause, National Day)", f"{t * 1e6:.0f} µs"))

    base = {
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "id_type": "id_card",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "department": dept,
        "information_title": "基准测试信息",
        "description": "基准测试描述内容",
        "information_form": "electronic",
        "delivery_method": "online",
    }
    n_requests = 1000
    start = time.perf_counter()
    outcomes = list(Outcome)
    for i in range(n_requests):
        received = datetime.date(2024, 1, 2) + datetime.timedelta(days=i % 360)
        submitted = timezone.make_aware(datetime.datetime.combine(received, datetime.time(9)))
        req, _code = actions.create_request(
            actor=officer,
            channel="in_person",
            submitted_at=submitted,
            received_date=received,
            data={**base, "information_title": f"基准测试信息{i}", "id_number": f"9111010{i:011d}"[:18]},
        )
        if i % 5:
            ReplyLetter.objects.create(
                request=req,
                outcome=outcomes[i % len(outcomes)],
                body="x",
                status="sent",
                sent_on=received + datetime.timedelta(days=10),
            )
            DisclosureRequest.objects.filter(pk=req.pk).update(
                outcome=outcomes[i % len(outcomes)],
                replied_on=received + datetime.timedelta(days=10),
                status="replied",
            )
    rows.append(
        (
            f"create_request (in person, with duplicate check) × {n_requests}",
            f"{(time.perf_counter() - start) / n_requests * 1000:.1f} ms each",
        )
    )

    t = timed(lambda: annual_report.table3(2024), 5)
    rows.append((f"annual_report.table3 over {n_requests} requests", f"{t * 1000:.0f} ms"))
    t = timed(lambda: actions.recompute_open_deadlines(reason="bench"), 3)
    open_n = DisclosureRequest.objects.open().count()
    rows.append((f"recompute_open_deadlines ({open_n} open requests)", f"{t * 1000:.0f} ms"))

    sent = []

    def send_one():
        req, _code = actions.create_request(
            actor=officer,
            channel="in_person",
            received_date=datetime.date(2024, 9, 27),
            data={**base, "information_title": f"签章基准{len(sent)}"},
        )
        reply = actions.draft_reply(req, actor=officer, outcome=Outcome.DISCLOSED)
        sent.append(actions.send_reply(reply, actor=officer, day=datetime.date(2024, 10, 10)))

    t = timed(send_one, 10)
    rows.append(
        (
            "send_reply (docx + PDF with embedded CJK font + seal image + pyHanko signature)",
            f"{t * 1000:.0f} ms",
        )
    )
    with sent[0].pdf_file.open("rb") as fh:
        data = fh.read()
    rows.append(("signed reply PDF size", f"{len(data) / 1024:.0f} KiB"))
    t = timed(lambda: seals.verify_pdf(data), 10)
    rows.append(("verify_pdf (signature, coverage, archive hash)", f"{t * 1000:.0f} ms"))
    connection.close()

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
    except OSError:
        commit = "?"
    lines = [
        "# Disclosure benchmarks",
        "",
        f"- machine: `{' '.join(platform.uname())}`",
        f"- nproc: {os.cpu_count()} (shared with other jobs while measured)",
        f"- Python {platform.python_version()}, database: {connection.vendor} (test settings, in memory)",
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, commit {commit}",
        "",
        "| what | time |",
        "|---|---|",
        *[f"| {a} | {b} |" for a, b in rows],
        "",
    ]
    out = ROOT / "benchmarks" / "results-disclosure.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
