"""Opinion after release (24:二(三)3): classification, the answer limit in working days (across a holiday), overdue
shown and reminded once, 回应关切 published (personal data never public), the review risk beside the feedback, the
monthly summary and its scoping."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.core import calendar
from gongkai.core.audit import entries_for
from gongkai.policies import actions as policies
from gongkai.policies import feedback
from gongkai.policies.models import FeedbackClass, PolicyQuestion, QuestionStatus
from gongkai.review.rules import ReviewStep

from .conftest import approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded_calendar(db):
    calendar.clear_cache()
    year = timezone.localdate().year
    calendar.seed_from_chinese_calendar(years=[2024, 2025, year, year + 1])
    yield
    calendar.clear_cache()


@pytest.fixture
def reviewed_policy(people, complete_policy, seeded_calendar):
    """A policy of 区发展改革委 whose self-review recorded a medium public-opinion risk, then published."""
    from gongkai.review import actions as review

    policy = complete_policy("区发展改革委", title="关于支持楼宇经济发展的若干措施")
    review.submit_for_review(policy, actor=people["dept_drafter"])
    approve(
        policy, people["dept_drafter"], ReviewStep.SELF, risk_level="medium", risk_note="补贴门槛可能引发关注"
    )
    policies.publish_policy(policy, actor=None, override_reason="测试：审核流程另行测试")
    policy.refresh_from_db()
    return policy


def _ask(policy, text="请问老旧楼宇改造补贴如何申请？", **extra):
    return policies.ask_question(policy, question=text, **extra)


def _at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_answer_due_counts_working_days_across_the_national_day_holiday(seeded_calendar, settings):
    # 2024-09-30 (Mon) + 5 working days: 1–7 October is the holiday (Monday to Friday would give 7 October),
    # 8–11 October count four, and Saturday 12 October is a 调休 working day: the fifth.
    assert feedback.answer_due(_at(datetime.date(2024, 9, 30))) == datetime.date(2024, 10, 12)
    # an ordinary week: Monday + 5 working days is the next Monday
    assert feedback.answer_due(_at(datetime.date(2024, 11, 4))) == datetime.date(2024, 11, 11)
    settings.GONGKAI_POLICY_FEEDBACK_ANSWER_DAYS = 2
    assert feedback.answer_due(_at(datetime.date(2024, 11, 4))) == datetime.date(2024, 11, 6)


def test_a_question_gets_its_due_date_on_arrival(reviewed_policy):
    item = _ask(reviewed_policy)
    assert item.answer_due == feedback.answer_due(item.created_at)
    assert item.answer_due > timezone.localdate()
    entry = entries_for(item).get(action="question.ask")
    assert entry.after["answer_due"] == item.answer_due.isoformat()


def test_classification_by_the_drafting_department_only(reviewed_policy, people):
    item = _ask(reviewed_policy)
    with pytest.raises(PermissionDenied):
        feedback.classify_feedback(
            item, actor=people["other_drafter"], feedback_class=FeedbackClass.COMPLAINT
        )
    with pytest.raises(ValidationError, match="请选择反馈类别"):
        feedback.classify_feedback(item, actor=people["dept_drafter"], feedback_class="praise")
    feedback.classify_feedback(item, actor=people["dept_drafter"], feedback_class=FeedbackClass.SUGGESTION)
    feedback.classify_feedback(item, actor=people["dept_drafter"], feedback_class=FeedbackClass.OPINION)
    item.refresh_from_db()
    assert item.feedback_class == FeedbackClass.OPINION and item.classified_at
    entries = list(entries_for(item).filter(action="question.classify").order_by("id"))
    assert [e.after["feedback_class"] for e in entries] == ["suggestion", "opinion"]
    assert entries[1].before["feedback_class"] == "suggestion"
    official = policies.add_policy_qa(
        reviewed_policy, actor=people["dept_drafter"], question="问", answer="答"
    )
    with pytest.raises(ValidationError, match="无需分类"):
        feedback.classify_feedback(
            official, actor=people["dept_drafter"], feedback_class=FeedbackClass.INQUIRY
        )


def test_overdue_is_shown_and_reminded_once(reviewed_policy, people, client):
    from gongkai.core.models import Notification

    late = _ask(reviewed_policy, "楼宇补贴什么时候兑现？")
    fresh = _ask(reviewed_policy, "第二条的总部企业如何认定？")
    PolicyQuestion.objects.filter(pk=late.pk).update(
        answer_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    late.refresh_from_db()
    assert list(feedback.overdue()) == [late]
    assert feedback.is_overdue(late) and not feedback.is_overdue(fresh)
    before = Notification.objects.count()
    assert "1" in feedback.remind_overdue_feedback()
    assert "0" in feedback.remind_overdue_feedback()  # once
    notes = Notification.objects.filter(subject__startswith="公众反馈答复已超过时限")
    assert notes.count() == 1 == Notification.objects.count() - before
    assert notes.get().department == reviewed_policy.drafting_department
    client.force_login(people["dept_drafter"])
    page = client.get("/admin/review/feedback/").content.decode()
    assert "1 条反馈已超过答复期限" in page and 'class="overdue"' in page
    # answering ends it: no longer overdue, counted as a late answer
    policies.answer_question(late, actor=people["dept_drafter"], answer="按季度兑现。")
    assert not feedback.overdue().exists()
    assert feedback.answered_on_time(late) is False


def test_response_published_on_the_portal_without_personal_data(reviewed_policy, people, client):
    item = _ask(
        reviewed_policy,
        "我是张三，身份证11010519491231002X，补贴门槛为什么这么高？",
        asker_name="张三",
        asker_contact="13800138000",
    )
    drafter = people["dept_drafter"]
    with pytest.raises(ValidationError, match="已答复并公开"):
        feedback.publish_response(item, actor=drafter)
    # a high finding blocks publication of the pair until redacted
    with pytest.raises(ValidationError):
        policies.answer_question(item, actor=drafter, answer="门槛依据上级文件确定。")
    policies.redact_question(item, actor=drafter, reason="去除姓名和身份证号", text="补贴门槛为什么这么高？")
    policies.answer_question(item, actor=drafter, answer="门槛依据上级文件确定，并将适时评估。")
    with pytest.raises(ValidationError, match="先对该反馈分类"):
        feedback.publish_response(item, actor=drafter)
    feedback.classify_feedback(item, actor=drafter, feedback_class=FeedbackClass.OPINION)
    with pytest.raises(PermissionDenied):
        feedback.publish_response(item, actor=people["other_drafter"])
    with pytest.raises(ValidationError):
        feedback.publish_response(item, actor=drafter, title="张三反映 11010519491231002X")
    assert client.get("/review/responses/").content.decode().count('class="tag"') == 0
    feedback.publish_response(item, actor=drafter, title="关于补贴门槛的回应")
    assert entries_for(item).filter(action="question.response_publish").exists()
    page = client.get("/review/responses/").content.decode()
    assert "关于补贴门槛的回应" in page and "门槛依据上级文件确定" in page and "舆情" in page
    for secret in ("11010519491231002X", "13800138000", "张三"):
        assert secret not in page
    assert not client.get("/review/responses/").cookies
    policy_page = client.get(reviewed_policy.get_absolute_url()).content.decode()
    assert f"/review/responses/?policy={reviewed_policy.pk}" in policy_page
    filtered = client.get(f"/review/responses/?policy={reviewed_policy.pk}&cls=opinion").content.decode()
    assert "关于补贴门槛的回应" in filtered
    assert "关于补贴门槛的回应" not in client.get("/review/responses/?cls=complaint").content.decode()
    # withdrawal needs a reason and takes it off the page (the Q&A stays)
    with pytest.raises(ValidationError, match="理由"):
        feedback.withdraw_response(item, actor=drafter, reason=" ")
    feedback.withdraw_response(item, actor=drafter, reason="内容已过时")
    assert "关于补贴门槛的回应" not in client.get("/review/responses/").content.decode()
    assert PolicyQuestion.objects.public().filter(pk=item.pk).exists()


def test_answer_screen_classifies_answers_and_publishes_with_the_risk_shown(reviewed_policy, people, client):
    item = _ask(reviewed_policy, "补贴申请需要哪些材料？")
    client.force_login(people["dept_drafter"])
    url = f"/admin/policy-questions/edit/{item.pk}/"
    form = client.get(url).content.decode()
    assert "前置审核舆情风险" in form and "中：补贴门槛可能引发关注" in form
    assert "答复期限" in form
    response = client.post(
        url,
        {
            "answer": "需提供营业执照和改造合同。",
            "publish": "on",
            "feedback_class": "inquiry",
            "publish_response": "on",
            "response_title": "",
            "public_question": item.question,
            "redact_reason": "",
            "reject_reason": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert item.status == QuestionStatus.PUBLISHED and item.feedback_class == "inquiry"
    assert item.response_published_at is not None
    assert feedback.answered_on_time(item) is True
    assert {"question.classify", "question.answer", "question.response_publish"} <= set(
        entries_for(item).values_list("action", flat=True)
    )
    # the feedback screen shows the policy's review risk beside its feedback
    page = client.get("/admin/review/feedback/?state=all").content.decode()
    assert "前置审核舆情风险" in page and "补贴门槛可能引发关注" in page and "补贴申请需要哪些材料" in page
    # another department sees neither the feedback nor the risk
    client.force_login(people["other_drafter"])
    page = client.get("/admin/review/feedback/?state=all").content.decode()
    assert "补贴申请需要哪些材料" not in page and "补贴门槛可能引发关注" not in page
    assert client.get(url).status_code in (302, 403, 404)


def test_monthly_summary_counts_and_scoping(reviewed_policy, people, complete_policy, client):
    from openpyxl import load_workbook

    drafter = people["dept_drafter"]
    today = timezone.localdate()
    on_time = _ask(reviewed_policy, "问题一")
    feedback.classify_feedback(on_time, actor=drafter, feedback_class=FeedbackClass.INQUIRY)
    policies.answer_question(on_time, actor=drafter, answer="答复一")
    late = _ask(reviewed_policy, "问题二")
    feedback.classify_feedback(late, actor=drafter, feedback_class=FeedbackClass.COMPLAINT)
    PolicyQuestion.objects.filter(pk=late.pk).update(answer_due=today - datetime.timedelta(days=40))
    late.refresh_from_db()
    policies.answer_question(late, actor=drafter, answer="答复二")
    overdue = _ask(reviewed_policy, "问题三")
    PolicyQuestion.objects.filter(pk=overdue.pk).update(answer_due=today - datetime.timedelta(days=1))
    # another department's policy and feedback
    other = complete_policy("区教委", title="关于课后服务的通知")
    policies.publish_policy(other, actor=None, override_reason="测试")
    _ask(other, "课后服务收费吗？")

    rows = feedback.monthly_summary(None, today.year, today.month)
    by_dept = {r.department.short_name: r for r in rows}
    fgw = by_dept["区发展改革委"]
    assert fgw.received == 3 and fgw.by_class["inquiry"] == 1 and fgw.by_class["complaint"] == 1
    assert fgw.unclassified == 1 and fgw.on_time == 1 and fgw.late == 1
    assert fgw.pending == 1 and fgw.overdue == 1 and fgw.average_days == 0
    assert by_dept["区教委"].received == 1

    # a department sees only its own row; a district-wide role sees both
    assert [r.department.short_name for r in feedback.monthly_summary(drafter, today.year, today.month)] == [
        "区发展改革委"
    ]
    assert len(feedback.monthly_summary(people["service"], today.year, today.month)) == 2

    client.force_login(drafter)
    month = f"{today.year}-{today.month:02d}"
    page = client.get(f"/admin/review/feedback/summary/?month={month}").content.decode()
    assert "区发展改革委" in page and "区教委" not in page
    response = client.get(f"/admin/review/feedback/summary.xlsx?month={month}")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][:6] == ["部门", "收到", "咨询", "建议", "投诉", "舆情"]
    assert values[1][0].endswith("发展和改革委员会") or "发展改革" in values[1][0]
    assert values[1][1] == 3 and values[-1][0] == "合计"
    client.force_login(people["service"])
    page = client.get(f"/admin/review/feedback/summary/?month={month}").content.decode()
    assert "区教委" in page or "教育委员会" in page
    # bad month input falls back to the current month, no error
    assert client.get("/admin/review/feedback/summary/?month=2024-13").status_code == 200
    assert client.get("/admin/review/feedback/summary.xlsx?month=x").status_code == 200


def test_staff_without_the_permission_are_turned_away(people, client, make_user, seeded_calendar):
    from gongkai.core import roles

    handler = make_user(roles.DISCLOSURE_HANDLER, "区发展改革委", username="handler_fb")
    client.force_login(handler)
    for url in (
        "/admin/review/feedback/",
        "/admin/review/feedback/summary/",
        "/admin/review/feedback/summary.xlsx",
    ):
        assert client.get(url).status_code in (302, 403)


def test_demo_is_complete_and_idempotent(people, seeded_calendar, client):
    from gongkai.review.feedback_demo import TITLE, load_demo

    assert "政策发布后公众反馈 4 条" in load_demo()
    assert load_demo() == "已存在"
    items = PolicyQuestion.objects.filter(policy__title=TITLE)
    assert items.count() == 4 and not items.filter(feedback_class="").exists()
    assert feedback.overdue().filter(policy__title=TITLE).count() == 1
    assert PolicyQuestion.objects.responses().count() == 1
    policy = items.first().policy
    assert policy.live and feedback.review_risk(policy).risk_level == "medium"
    assert "关于“改造投资额”计算口径的回应" in client.get("/review/responses/").content.decode()
