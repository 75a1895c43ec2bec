"""The period rule (30 days, shorter only with a recorded reason), extension, the moderation limit in working
days with overdue shown and reminded, required reasons, report counts equal to the dispositions."""

import datetime
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.consultation import actions, rules
from gongkai.consultation.models import Comment, CommentStatus, Disposition, ReportStatus
from gongkai.core.audit import entries_for

from .conftest import add_comment

pytestmark = pytest.mark.django_db


def test_default_period_is_thirty_days_both_ends_included(draft_policy, staff):
    c = actions.create_consultation(
        actor=staff["drafter"], policy=draft_policy, explanation="说明", start_date=datetime.date(2030, 5, 1)
    )
    assert c.end_date == datetime.date(2030, 5, 30)
    assert c.period_days == rules.MIN_COMMENT_PERIOD_DAYS == 30


def test_shorter_period_needs_a_reason_which_is_kept_and_shown(draft_policy, staff, client):
    start = timezone.localdate()
    with pytest.raises(ValidationError, match="须说明缩短期限的理由"):
        actions.create_consultation(
            actor=staff["drafter"],
            policy=draft_policy,
            explanation="说明",
            start_date=start,
            end_date=start + datetime.timedelta(days=28),  # 29 days
        )
    c = actions.create_consultation(
        actor=staff["drafter"],
        policy=draft_policy,
        explanation="说明",
        start_date=start,
        end_date=start + datetime.timedelta(days=14),
        short_period_reason="落实上级紧急部署，须于月底前出台",
    )
    actions.publish_consultation(c, actor=staff["drafter"])
    page = client.get(c.get_absolute_url()).content.decode()
    assert "落实上级紧急部署" in page and "缩短期限的说明" in page
    entry = entries_for(c).filter(action="consultation.publish").get()
    assert "落实上级紧急部署" in entry.note


@pytest.mark.parametrize("end_offset", [-1, None])
def test_reversed_or_missing_period_is_refused(draft_policy, staff, end_offset):
    start = timezone.localdate()
    c = actions.create_consultation(actor=staff["drafter"], policy=draft_policy, explanation="说明")
    end = start + datetime.timedelta(days=end_offset) if end_offset is not None else None
    with pytest.raises(ValidationError):
        actions.update_consultation(c, actor=staff["drafter"], end_date=end)


def test_extension_later_than_the_end_with_reason_shown(open_consultation, staff, client):
    c = open_consultation
    with pytest.raises(ValidationError):
        actions.extend_consultation(c, actor=staff["drafter"], until=c.end_date, reason="延长")
    with pytest.raises(ValidationError):
        actions.extend_consultation(
            c, actor=staff["drafter"], until=c.end_date + datetime.timedelta(days=5), reason=" "
        )
    actions.extend_consultation(
        c, actor=staff["drafter"], until=c.end_date + datetime.timedelta(days=10), reason="应企业要求延长"
    )
    page = client.get(c.get_absolute_url()).content.decode()
    assert "延长至" in page and "应企业要求延长" in page
    assert c.is_open(c.end_date + datetime.timedelta(days=10))
    assert not c.is_open(c.end_date + datetime.timedelta(days=11))


def test_another_department_cannot_run_the_consultation(open_consultation, staff):
    with pytest.raises(PermissionDenied):
        actions.extend_consultation(
            open_consultation,
            actor=staff["other"],
            until=open_consultation.end_date + datetime.timedelta(days=3),
            reason="x",
        )
    comment = add_comment(open_consultation)
    with pytest.raises(PermissionDenied):
        actions.publish_comment(comment, actor=staff["other"])
    actions.publish_comment(comment, actor=staff["office"])  # district-wide


def test_no_comment_outside_the_period(closed_consultation):
    with pytest.raises(ValidationError, match="不在征求意见期内"):
        actions.submit_comment(closed_consultation, text="迟到的意见")


def test_moderation_due_in_working_days_skips_weekends_and_holidays(seeded_calendar):
    # Friday 27 September 2024, before the National Day holiday (1–7 October; 29 Sep and 12 Oct are working days)
    friday = timezone.make_aware(datetime.datetime(2024, 9, 27, 15))
    assert rules.moderation_due(friday) == datetime.date(2024, 10, 8)
    monday = timezone.make_aware(datetime.datetime(2024, 11, 4, 9))
    assert rules.moderation_due(monday) == datetime.date(2024, 11, 7)


def test_moderation_limit_is_configurable(settings, seeded_calendar):
    settings.GONGKAI_CONSULTATION_MODERATION_DAYS = 1
    monday = timezone.make_aware(datetime.datetime(2024, 11, 4, 9))
    assert rules.moderation_due(monday) == datetime.date(2024, 11, 5)


def test_overdue_comments_are_shown_and_reminded_once(open_consultation, staff, client):
    from gongkai.consultation.jobs import remind_overdue_moderation
    from gongkai.core.models import Notification

    comment = add_comment(open_consultation)
    assert not comment.is_overdue
    Comment.objects.filter(pk=comment.pk).update(
        moderation_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    comment.refresh_from_db()
    assert comment.is_overdue
    assert list(actions.moderation_overdue()) == [comment]
    client.force_login(staff["drafter"])
    page = client.get(f"/admin/consultation/{open_consultation.pk}/").content.decode()
    assert "已超时" in page
    assert "1 条超时" in client.get("/admin/consultation/").content.decode()
    assert remind_overdue_moderation() == "已提醒 1 条超时未审核的意见"
    assert remind_overdue_moderation() == "已提醒 0 条超时未审核的意见"
    assert Notification.objects.filter(dedup_key=f"consultation.overdue.{comment.pk}").count() == 1
    actions.publish_comment(comment, actor=staff["drafter"])
    assert not actions.moderation_overdue().exists()


@pytest.mark.parametrize(
    "disposition", [Disposition.PARTLY, Disposition.NOT_ADOPTED, Disposition.OUT_OF_SCOPE]
)
def test_reason_required_except_for_adopted(closed_consultation, staff, disposition):
    comment = actions.publish_comment(add_comment(closed_consultation), actor=staff["drafter"])
    with pytest.raises(ValidationError, match="须说明理由"):
        actions.dispose_comment(comment, actor=staff["drafter"], disposition=disposition, reason="  ")
    actions.dispose_comment(comment, actor=staff["drafter"], disposition=disposition, reason="已有规定")
    other = actions.publish_comment(add_comment(closed_consultation, "另一条"), actor=staff["drafter"])
    actions.dispose_comment(other, actor=staff["drafter"], disposition=Disposition.ADOPTED)
    group = actions.group_comments(closed_consultation, [other], actor=staff["drafter"], point="要点")
    with pytest.raises(ValidationError, match="须说明理由"):
        actions.dispose_group(group, actor=staff["drafter"], disposition=disposition)
    with pytest.raises(ValidationError):
        actions.dispose_comment(comment, actor=staff["drafter"], disposition="maybe", reason="x")


def test_unmoderated_comment_cannot_be_disposed_nor_grouped(closed_consultation, staff):
    comment = add_comment(closed_consultation)
    with pytest.raises(ValidationError):
        actions.dispose_comment(comment, actor=staff["drafter"], disposition=Disposition.ADOPTED)
    with pytest.raises(ValidationError):
        actions.group_comments(closed_consultation, [comment], actor=staff["drafter"], point="要点")


def test_report_counts_equal_the_dispositions(closed_consultation, staff):
    rng = random.Random(7)
    c = closed_consultation
    comments = [
        actions.publish_comment(add_comment(c, f"意见{i}", unit=i % 3), actor=staff["drafter"])
        for i in range(23)
    ]
    hidden = add_comment(c, "广告内容")
    actions.hide_comment(hidden, actor=staff["drafter"], reason="广告")
    group = actions.group_comments(c, comments[:5], actor=staff["drafter"], point="提高奖励标准")
    actions.dispose_group(group, actor=staff["drafter"], disposition=Disposition.PARTLY, reason="部分吸收")
    for comment in comments[5:]:
        d = rng.choice(Disposition.values)
        actions.dispose_comment(
            comment, actor=staff["drafter"], disposition=d, reason="" if d == "adopted" else "理由"
        )
    report = actions.generate_report(c, actor=staff["drafter"])
    expected = {
        d: Comment.objects.filter(consultation=c, status=CommentStatus.PUBLISHED, disposition=d).count()
        for d in Disposition.values
    }
    assert report.counts == expected
    assert report.total == 23  # the hidden one is not counted
    assert sum(p["comments"] for p in report.points) == 23
    assert report.points[0]["point"] == "提高奖励标准" and report.points[0]["comments"] == 5
    assert "共收到有效意见23条" in report.summary and "另有1条" in report.summary
    # a disposition changed after the report was generated: approval and publication refuse until regenerated
    actions.dispose_comment(
        comments[-1], actor=staff["drafter"], disposition=Disposition.OUT_OF_SCOPE, reason="范围外"
    )
    with pytest.raises(ValidationError, match="重新生成"):
        actions.approve_report(report, actor=staff["officer"])
    report = actions.generate_report(c, actor=staff["drafter"])
    actions.approve_report(report, actor=staff["officer"])
    assert report.status == ReportStatus.APPROVED


def test_report_waits_for_moderation_dispositions_and_the_end(open_consultation, closed_consultation, staff):
    with pytest.raises(ValidationError, match="尚未结束"):
        actions.generate_report(open_consultation, actor=staff["drafter"])
    comment = add_comment(closed_consultation)
    with pytest.raises(ValidationError, match="待审核"):
        actions.generate_report(closed_consultation, actor=staff["drafter"])
    actions.publish_comment(comment, actor=staff["drafter"])
    with pytest.raises(ValidationError, match="未作采纳处理"):
        actions.generate_report(closed_consultation, actor=staff["drafter"])


def test_drafter_cannot_approve_the_report(closed_consultation, staff):
    report = actions.generate_report(closed_consultation, actor=staff["drafter"])
    with pytest.raises(PermissionDenied):
        actions.approve_report(report, actor=staff["drafter"])
    with pytest.raises(PermissionDenied):
        actions.approve_report(report, actor=staff["other"])
    actions.approve_report(report, actor=staff["officer"])


def test_report_is_published_with_the_final_policy_and_lists_changed_articles(
    closed_consultation, staff, client
):
    from gongkai.policies import actions as policies

    c = closed_consultation
    comment = actions.publish_comment(add_comment(c, "建议奖励提高到100万元", unit=1), actor=staff["drafter"])
    actions.dispose_comment(comment, actor=staff["drafter"], disposition=Disposition.ADOPTED)
    policies.update_policy(
        c.policy,
        actor=staff["drafter"],
        body="第一条 为了促进中小企业发展，制定本措施。\n第二条 对新认定的企业给予奖励，最高100万元。\n第三条 本措施自发布之日起施行。",
    )
    report = actions.generate_report(c, actor=staff["drafter"])
    assert report.changes["summary"]["changed"] == 1
    assert [a["new_key"] for a in report.changes["articles"]] == ["第二条"]
    actions.approve_report(report, actor=staff["officer"])
    with pytest.raises(ValidationError, match="尚未公开发布"):
        actions.publish_report(report, actor=staff["officer"])
    assert "意见采纳情况" not in client.get(c.get_absolute_url()).content.decode().split("征求意见稿")[-1]
    policies.publish_policy(c.policy, actor=None)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert entries_for(report).filter(action="consultation.report_publish").exists()
    page = client.get(c.get_absolute_url()).content.decode()
    assert 'id="report"' in page and 'id="comparison"' in page and "最高100万元" in page
    assert "采纳" in page
    policy_page = client.get(c.policy.get_absolute_url()).content.decode()
    assert f"{c.get_absolute_url()}#report" in policy_page
    with pytest.raises(ValidationError, match="已公开"):
        actions.dispose_comment(
            comment, actor=staff["drafter"], disposition=Disposition.NOT_ADOPTED, reason="x"
        )
