"""The commands and the worker job."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.core.jobs import registered_jobs
from gongkai.core.models import Notification
from gongkai.portal.nav import portal_links
from gongkai.supervision.models import Plan, PlanStatus, Snapshot


def seed(year):
    path = settings.SHARED_DIR / "seeds" / f"xicheng-{year}-workplan.txt"
    if not path.is_file():
        pytest.skip("seed work plans not available")
    return path


def test_import_workplan_command(departments):
    out = io.StringIO()
    call_command("import_workplan", str(seed(2023)), stdout=out)
    plan = Plan.objects.get()
    assert plan.status == PlanStatus.DRAFT and plan.tasks.count() == 42
    text = out.getvalue()
    assert "任务 42 项" in text and "区政府相关部门" in text  # flagged for the openness office
    call_command(
        "import_workplan", str(seed(2024)), "--year", "2024", "--confirm", "--publish", stdout=io.StringIO()
    )
    plan = Plan.objects.get(year=2024)
    assert plan.status == PlanStatus.ACTIVE and plan.is_published


def test_import_workplan_command_bad_input(departments, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_workplan", str(tmp_path / "missing.txt"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="导入失败"):
        call_command("import_workplan", str(empty))
    binary = tmp_path / "junk.txt"
    binary.write_bytes(bytes(range(256)) * 50)
    with pytest.raises(CommandError):
        call_command("import_workplan", str(binary))
    assert Plan.objects.count() == 0


def test_reminders_command_and_worker_job_are_idempotent(departments):
    call_command("import_workplan", str(seed(2024)), "--confirm", stdout=io.StringIO())
    out = io.StringIO()
    call_command("supervision_reminders", "--date", "2024-10-25", stdout=out)
    first = Notification.objects.count()
    assert first > 0 and "月度提醒" in out.getvalue()
    call_command("supervision_reminders", "--date", "2024-10-25", stdout=io.StringIO())
    assert Notification.objects.count() == first
    with pytest.raises(CommandError):
        call_command("supervision_reminders", "--date", "25/10/2024")
    jobs = {j.name: j for j in registered_jobs()}
    assert {"supervision.reminders", "supervision.refresh_statuses"} <= set(jobs)
    jobs["supervision.refresh_statuses"].func()
    jobs["supervision.reminders"].func()  # today (not 2024): runs without error, sends at most once
    again = Notification.objects.count()
    jobs["supervision.reminders"].func()
    assert Notification.objects.count() == again


def test_freeze_snapshot_command(departments):
    call_command("import_workplan", str(seed(2024)), "--confirm", stdout=io.StringIO())
    plan = Plan.objects.get()
    call_command("freeze_snapshot", "--plan", str(plan.pk), "--quarter", "2024Q1", stdout=io.StringIO())
    assert Snapshot.objects.filter(plan=plan, quarter="2024Q1").exists()
    with pytest.raises(CommandError, match="已冻结"):
        call_command("freeze_snapshot", "--plan", str(plan.pk), "--quarter", "2024Q1")
    with pytest.raises(CommandError):
        call_command("freeze_snapshot", "--plan", "0", "--quarter", "2024Q1")


def test_portal_link_and_setup_hook(db):
    assert {"label": "工作要点落实", "url": "/plans/"} in [
        {"label": str(x["label"]), "url": x["url"]} for x in portal_links()
    ]
    from gongkai.core.setup_hooks import run_setup_hooks
    from gongkai.supervision.models import ScoringScheme

    assert any(line.startswith("考核评分方案") for line in run_setup_hooks())
    assert ScoringScheme.objects.filter(year__isnull=True).count() == 1
    run_setup_hooks()
    assert ScoringScheme.objects.count() == 1


def test_cli_accepts_hyphenated_names():
    from gongkai import cli

    with pytest.raises(SystemExit):
        cli.main(["gongkai", "import-workplan", "--help"])
