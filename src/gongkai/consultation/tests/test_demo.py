"""The demo data of public participation: made through the actions, idempotent, every piece the issue asks for."""

import pytest

pytestmark = pytest.mark.django_db


def test_demo_is_complete_and_idempotent(departments, seeded_calendar, client):
    from gongkai.consultation.demo import load_demo
    from gongkai.consultation.models import Consultation, ReportStatus, Survey
    from gongkai.core.audit import entries_for

    assert "已结束的意见征集 1 个" in load_demo()
    assert load_demo() == "已存在"
    closed, open_ = sorted(Consultation.objects.all(), key=lambda c: c.start_date)
    assert closed.is_closed() and open_.is_open()
    assert closed.report.status == ReportStatus.PUBLISHED and closed.policy.live
    assert closed.report.total == 6 and closed.report.changes["summary"]["changed"] == 2
    assert entries_for(closed.report).filter(action="consultation.report_publish").exists()
    assert open_.comments.filter(status="pending").count() == 1
    survey = Survey.objects.get()
    assert survey.responses.count() == 24 and survey.policy == closed.policy
    page = client.get(closed.get_absolute_url()).content.decode()
    assert 'id="report"' in page and "13800000000" not in page
    assert client.get(open_.get_absolute_url()).status_code == 200
