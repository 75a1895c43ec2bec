"""How long the supervision computations take on a realistic plan: the 2024 seed work plan (44 tasks, fanned
out to ~50 departments by collective names), with a year of reports, plus a scaled plan (the same tasks 10×).

Run: `python benchmarks/supervision_bench.py` from the repository root (uses ../shared or GONGKAI_SHARED_DIR).
Writes benchmarks/results-supervision.md. A throwaway SQLite database in a temporary directory; best of 3.
"""

from __future__ import annotations

import copy
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
os.environ.setdefault("GONGKAI_VAR_DIR", tempfile.mkdtemp(prefix="supervision-bench-"))
os.environ.setdefault("GONGKAI_SHARED_DIR", str(ROOT.parent / "shared"))
os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings.dev"
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

D = datetime.date
RUNS = 3


def best_of(func, runs=RUNS):
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def build(scale: int):
    from gongkai.core.models import Department
    from gongkai.supervision import actions
    from gongkai.supervision.models import AssignmentRole
    from gongkai.supervision.reading import parse_workplan_file

    seed = Path(os.environ["GONGKAI_SHARED_DIR"]) / "seeds" / "xicheng-2024-workplan.txt"
    _text, parsed = parse_workplan_file(str(seed))
    tasks = []
    for i in range(scale):
        for t in parsed["tasks"]:
            t = copy.deepcopy(t)
            t["ref"] = f"{t['ref']}-{i}"
            tasks.append(t)
    parsed["tasks"] = tasks
    start = time.perf_counter()
    plan = actions.import_workplan(parsed, actor=None)
    imported = time.perf_counter() - start
    start = time.perf_counter()
    plan = actions.confirm_plan(plan, actor=None, today=D(2024, 1, 2))
    confirmed = time.perf_counter() - start
    # every owing department of every other task reports completion in September; the office accepts
    reports = 0
    start = time.perf_counter()
    for n, task in enumerate(plan.tasks.prefetch_related("assignments")):
        if n % 2:
            continue
        for a in task.assignments.all():
            if a.role == AssignmentRole.SUPPORTING:
                continue
            dept = Department.objects.get(pk=a.department_id)
            r = actions.submit_report(
                task,
                actor=None,
                department=dept,
                summary="已完成",
                percent=100,
                claims_completion=True,
                today=D(2024, 9, 20),
            )
            if r.status == "awaiting_lead":
                actions.confirm_report_as_lead(r, actor=None)
            actions.accept_report(r, actor=None, today=D(2024, 9, 21))
            reports += 1
    reported = time.perf_counter() - start
    return plan, imported, confirmed, reports, reported


def measure(plan) -> list[float]:
    from gongkai.supervision import actions
    from gongkai.supervision.assessment import assess
    from gongkai.supervision.assessment import render_xlsx as assessment_xlsx
    from gongkai.supervision.bulletin import quarter_figures, render_docx, render_xlsx
    from gongkai.supervision.public import public_plan_data
    from gongkai.supervision.status import refresh_tasks

    t_refresh, _ = best_of(lambda: refresh_tasks(plan.tasks.all(), as_of=D(2024, 11, 1)))
    t_fig, fig = best_of(lambda: quarter_figures(plan, "2024Q3", today=D(2024, 10, 8)))
    t_xlsx, _ = best_of(lambda: render_xlsx(fig))
    t_docx, _ = best_of(lambda: render_docx(fig))
    t_public, _ = best_of(lambda: public_plan_data(plan, as_of=D(2024, 11, 1)))
    t_assess, result = best_of(lambda: assess(2024, plans=[plan], today=D(2024, 12, 31)))
    t_axlsx, _ = best_of(lambda: assessment_xlsx(result))
    days = iter([D(2024, 10, 25), D(2024, 10, 26), D(2024, 10, 27)])  # a new day each run: real sending
    t_remind, _ = best_of(lambda: actions.send_reminders(actor=None, today=next(days)))
    return [t_refresh, t_fig, t_xlsx, t_docx, t_public, t_assess, t_axlsx, t_remind]


def main():
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("setup", stdout=devnull)

    rows = []
    for scale in (1, 3):
        plan, imported, confirmed, reports, reported = build(scale)
        rows.append(
            (
                scale,
                plan.tasks.count(),
                sum(t.assignments.count() for t in plan.tasks.all()),
                reports,
                imported,
                confirmed,
                reported / max(reports, 1),
                *measure(plan),
            )
        )
        plan.delete()

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = "?"
    lines = [
        "# Supervision benchmark",
        "",
        f"- machine: `{' '.join(platform.uname())}`, {os.cpu_count()} CPUs (shared with other work)",
        f"- Python {platform.python_version()}, SQLite, commit {commit}, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "- plan: the 2024 seed work plan; ×3 = the same tasks three times. Reports: every owing department of every",
        "  other task reports completion, the lead confirms when needed, the office accepts. Best of 3 (seconds).",
        "",
        "| scale | tasks | task-departments | accepted reports | import | confirm | per report (submit+accept) | refresh statuses | bulletin figures | bulletin .xlsx | bulletin .docx | public column data | assessment | assessment .xlsx | reminders (one day) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            "| "
            + " | ".join([f"×{r[0]}", str(r[1]), str(r[2]), str(r[3])] + [f"{x:.3f}" for x in r[4:]])
            + " |"
        )
    out = ROOT / "benchmarks" / "results-supervision.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
