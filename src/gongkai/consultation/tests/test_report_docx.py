"""The 意见采纳情况 as a Word file: staff download it at any stage, the public once it is published; the file opens
with python-docx and carries the counts, the points with their answers and the changed articles."""

import io

import pytest
from docx import Document

from gongkai.consultation import actions
from gongkai.consultation.models import Disposition

from .conftest import add_comment

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append("|".join(cell.text for cell in row.cells))
    return "\n".join(parts)


@pytest.fixture
def report(closed_consultation, staff):
    from gongkai.policies import actions as policies

    c = closed_consultation
    a = actions.publish_comment(add_comment(c, "建议奖励提高到100万元", unit=1), actor=staff["drafter"])
    b = actions.publish_comment(add_comment(c, "建议删除第三条", unit=2), actor=staff["drafter"])
    actions.dispose_comment(a, actor=staff["drafter"], disposition=Disposition.ADOPTED)
    actions.dispose_comment(
        b, actor=staff["drafter"], disposition=Disposition.NOT_ADOPTED, reason="施行日期须保留"
    )
    policies.update_policy(
        c.policy,
        actor=staff["drafter"],
        body="第一条 为了促进中小企业发展，制定本措施。\n第二条 对新认定的企业给予奖励，最高100万元。\n第三条 本措施自发布之日起施行。",
    )
    return actions.generate_report(c, actor=staff["drafter"], summary="总体情况：意见集中在奖励标准。")


def test_staff_download_the_draft_report_as_word(report, staff, client):
    c = report.consultation
    client.force_login(staff["drafter"])
    screen = client.get(f"/admin/consultation/{c.pk}/report/").content.decode()
    assert f"/admin/consultation/{c.pk}/report.docx" in screen
    response = client.get(f"/admin/consultation/{c.pk}/report.docx")
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert "attachment" in response["Content-Disposition"]
    text = _text(response.content)
    assert f"关于《{c.policy.title}》公开征求意见采纳情况的说明" in text
    assert "总体情况：意见集中在奖励标准。" in text
    assert "采纳|部分采纳|未采纳|不属于本次征求范围|合计" in text and "1|0|1|0|2" in text
    assert "建议删除第三条" in text and "未采纳：施行日期须保留" in text
    assert "最高100万元" in text and "修改" in text
    # another department cannot download it; the public cannot before publication
    client.force_login(staff["other"])
    assert client.get(f"/admin/consultation/{c.pk}/report.docx").status_code == 404
    client.logout()
    assert client.get(f"/consultation/{c.pk}/report.docx").status_code == 404


def test_public_download_once_published_without_personal_data(report, staff, client):
    from gongkai.policies import actions as policies

    c = report.consultation
    add_comment(c, "另一条待审核", unit=1, name="张三", contact="13800138000")  # never in the file
    actions.approve_report(report, actor=staff["officer"])
    policies.publish_policy(c.policy, actor=None)
    page = client.get(c.get_absolute_url()).content.decode()
    assert f"/consultation/{c.pk}/report.docx" in page
    response = client.get(f"/consultation/{c.pk}/report.docx")
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert not response.cookies
    text = _text(response.content)
    assert "建议奖励提高到100万元" in text
    assert "张三" not in text and "13800138000" not in text and "另一条待审核" not in text


def test_report_without_comments_still_renders(closed_consultation, staff):
    from gongkai.consultation.report_docx import render_report_docx

    report = actions.generate_report(closed_consultation, actor=staff["drafter"])
    text = _text(render_report_docx(report))
    assert "未收到有效意见" in text and "共收到有效意见0条" in text
