"""The demo data of disclosure on request: made through the actions, idempotent, every state shown."""

import pytest
from django.utils import timezone

from gongkai.disclosure.models import AnnualReport, DisclosureRequest, Notice, ReportStatus


@pytest.fixture
def demo_users(departments, seeded_calendar, tmp_path, settings):
    from gongkai.demo_data import ensure_admin, load_demo_policies

    settings.VAR_DIR = tmp_path
    ensure_admin(tmp_path / "demo-login.txt")
    load_demo_policies()
    return tmp_path


def test_demo_requests(demo_users, client, calendar_ahead):
    from gongkai.disclosure.demo import load_demo_requests

    assert "年度报告已公布" in load_demo_requests()
    assert "已存在" in load_demo_requests()  # idempotent
    demo = DisclosureRequest.objects.filter(information_title__endswith="（演示）")
    today = timezone.localdate()
    assert any(r.is_overdue(today) and r.is_open for r in demo)
    assert demo.filter(status="awaiting_correction").exists()
    assert demo.filter(extension_days=10).exists() and demo.filter(outcome="partial").exists()
    assert demo.exclude(proactive_suggestion="").count() == 1
    assert Notice.objects.filter(kind="correction").exists()
    published = AnnualReport.objects.filter(status=ReportStatus.PUBLISHED)
    assert sorted(published.values_list("year", flat=True)) == [today.year - 2, today.year - 1]
    html = client.get("/disclosure/annual-reports/").content.decode()
    assert f"{today.year - 1}年度" in html
    lines = (demo_users / "demo-disclosure.txt").read_text(encoding="utf-8").splitlines()
    number, code = lines[1].split()[:2]
    response = client.post("/disclosure/track/", {"tracking_number": number, "query_code": code})
    assert response.status_code == 200 and "已超过答复期限" in response.content.decode()


def test_demo_files_beside_the_demo_requests(demo_users, calendar_ahead, settings):
    """Both disclosure demo steps, in the order `gongkai demo-data` runs them (files first), succeed and repeat."""
    from gongkai.disclosure.demo import load_demo_requests
    from gongkai.disclosure.demo_files import DEMO_TITLE, load_demo_files

    load_demo_files()
    assert "已存在" in load_demo_files()
    assert "年度报告已公布" in load_demo_requests()
    replied = DisclosureRequest.objects.filter(information_title=DEMO_TITLE, status="replied").get()
    assert replied.reply.documents.count() == 1 and replied.reply.pdf_file
