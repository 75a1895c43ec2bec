"""Opinion after release (政策发布后的舆情收集与回应, 24:二(三)3): public questions and comments on a published policy
(the Q&A channel, `PolicyQuestion`) are classified by the drafting department, answered within a limit in working
days, reminded when overdue, and the department's answers of general concern are published as 回应关切.

The rules, in one place, with their basis:

- Who answers: the drafting department (“谁起草、谁负责”, 24:二(三)3).
- The classes: 咨询 / 建议 / 投诉 / 舆情 (`FeedbackClass`; the kinds of 诉求 of 《北京市接诉即办工作条例》第二条
  第二款 that concern a policy, plus 舆情 — public opinion the department is to 监测预警、分析研判 under 24:二(三)3).
- The answer limit: `ANSWER_WORKING_DAYS` working days from arrival, on the project's working-day calendar
  (`gongkai.core.calendar`, the table the disclosure clock uses, with the State Council's holidays and 调休).
  No statute fixes a number for policy feedback: 《北京市接诉即办工作条例》第十三条第二款 leaves 办理时限 to be set by
  the municipal government-service department by kind of 诉求, and 第十五条(三) asks for the answer within it; the
  district's promise is 5 working days. `GONGKAI_POLICY_FEEDBACK_ANSWER_DAYS` changes it (from the environment).
  A year the calendar does not cover yet counts Monday to Friday (as the consultation moderation limit and the
  proactive-disclosure due date do), so a due date always exists; the dashboard warns about the missing year.
- Overdue: still unanswered (待答复) after the due day; reminded once per question (`remind_overdue_feedback`,
  periodic job `policies.feedback_reminders`, deduplicated notice).
- 回应关切: only an answered, public Q&A pair (it has passed the confidentiality scan when published) becomes a
  response; the asker's name and contact are never part of it.

Every change goes through an action here (keyword-only `actor`, atomic, audit entry in the same transaction).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit

# The district's own service promise (see the module docstring for the basis).
DEFAULT_ANSWER_WORKING_DAYS = 5
RESPONSE_TITLE_MAX_CHARS = 200


def answer_working_days() -> int:
    return max(1, int(getattr(settings, "GONGKAI_POLICY_FEEDBACK_ANSWER_DAYS", DEFAULT_ANSWER_WORKING_DAYS)))


def answer_due(arrived: datetime.datetime) -> datetime.date:
    """The last day on which feedback that arrived at `arrived` is to be answered."""
    from gongkai.core import calendar

    day = timezone.localtime(arrived).date()
    n = answer_working_days()
    try:
        return calendar.add_working_days(day, n)
    except calendar.CalendarNotCovered:
        while n > 0:
            day += datetime.timedelta(days=1)
            if day.weekday() < 5:
                n -= 1
        return day


def answer_working_days_taken(item) -> int | None:
    """Working days from arrival to the answer (None when unanswered or the calendar does not cover them)."""
    from gongkai.core import calendar

    if item.answered_at is None:
        return None
    start = timezone.localtime(item.created_at).date()
    end = timezone.localtime(item.answered_at).date()
    try:
        return calendar.working_days_between(start, end)
    except calendar.CalendarNotCovered:
        return None


def public_feedback():
    """Feedback from the public (questions and comments), not the department's own Q&A entries."""
    from .models import PolicyQuestion, QuestionOrigin

    return PolicyQuestion.objects.filter(
        origin__in=(QuestionOrigin.PUBLIC_QUESTION, QuestionOrigin.PUBLIC_COMMENT)
    )


def overdue(today: datetime.date | None = None):
    from .models import QuestionStatus

    today = today or timezone.localdate()
    return public_feedback().filter(status=QuestionStatus.PENDING, answer_due__lt=today)


def is_overdue(item, today: datetime.date | None = None) -> bool:
    from .models import QuestionStatus

    today = today or timezone.localdate()
    return item.status == QuestionStatus.PENDING and item.answer_due is not None and item.answer_due < today


def answered_on_time(item) -> bool | None:
    if item.answered_at is None or item.answer_due is None:
        return None
    return timezone.localtime(item.answered_at).date() <= item.answer_due


def _check_owner(actor, item):
    from gongkai.core.scoping import CHANGE

    from .models import PolicyQuestion

    if not PolicyQuestion.objects.none().user_can(actor, CHANGE, item):
        raise PermissionDenied(_("只有起草部门可以处理本部门政策的公众反馈"))


@transaction.atomic
def classify_feedback(item, *, actor, feedback_class: str):
    """The drafting department classifies a piece of public feedback (may be changed later, each time audited)."""
    from .models import FeedbackClass, QuestionOrigin

    _check_owner(actor, item)
    if item.origin == QuestionOrigin.OFFICIAL:
        raise ValidationError(_("部门发布的问答不属于公众反馈，无需分类"))
    if feedback_class not in FeedbackClass.values:
        raise ValidationError(_("请选择反馈类别：咨询、建议、投诉或舆情"))
    if item.feedback_class == feedback_class:
        return item
    before = {"feedback_class": item.feedback_class}
    item.feedback_class = feedback_class
    item.classified_at = timezone.now()
    item.save(update_fields=["feedback_class", "classified_at"])
    audit.record(
        "question.classify",
        item,
        actor=actor,
        before=before,
        after={"feedback_class": feedback_class},
        department=item.policy.drafting_department,
    )
    return item


@transaction.atomic
def publish_response(item, *, actor, title: str = ""):
    """Publishes an answered, public Q&A pair as the department's 回应关切 (on the 回应关切 page and the policy page).
    The pair has passed the confidentiality scan when it was made public; name and contact are never shown."""
    from .actions import is_visible_to_public
    from .models import QuestionStatus

    _check_owner(actor, item)
    if item.status != QuestionStatus.PUBLISHED or not item.answer.strip():
        raise ValidationError(_("只有已答复并公开的问答才能作为回应关切发布"))
    if not item.feedback_class:
        raise ValidationError(_("请先对该反馈分类，再发布回应关切"))
    if not is_visible_to_public(item.policy):
        raise ValidationError(_("该政策未公开，不能发布回应关切"))
    title = " ".join(str(title or "").split())
    if len(title) > RESPONSE_TITLE_MAX_CHARS:
        raise ValidationError(_("回应关切标题不能超过%(n)d字") % {"n": RESPONSE_TITLE_MAX_CHARS})
    if title:
        from gongkai.secrecy.public_text import scan_public_text

        problem = scan_public_text({"回应关切标题": title}).publication_problem(confirmed=False)
        if problem:
            raise ValidationError(problem)
    item.response_title = title
    item.response_published_at = timezone.now()
    item.save(update_fields=["response_title", "response_published_at"])
    audit.record(
        "question.response_publish",
        item,
        actor=actor,
        after={"response_title": title, "feedback_class": item.feedback_class},
        department=item.policy.drafting_department,
    )
    return item


@transaction.atomic
def withdraw_response(item, *, actor, reason: str):
    """Takes a 回应关切 off the page (the Q&A pair stays in the Q&A base); the reason is recorded."""
    _check_owner(actor, item)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("撤回回应关切须填写理由"))
    if item.response_published_at is None:
        raise ValidationError(_("该反馈尚未作为回应关切发布"))
    before = {"response_published_at": item.response_published_at.isoformat()}
    item.response_published_at = None
    item.save(update_fields=["response_published_at"])
    audit.record(
        "question.response_withdraw",
        item,
        actor=actor,
        before=before,
        note=reason[:300],
        department=item.policy.drafting_department,
    )
    return item


def remind_overdue_feedback() -> str:
    """Periodic job: one notice per overdue question to the drafting department (deduplicated)."""
    from gongkai.core.notify import notify

    sent = 0
    for item in overdue().select_related("policy__drafting_department"):
        note = notify(
            subject=_("公众反馈答复已超过时限：%(title)s") % {"title": item.policy.title[:80]},
            body=_("该反馈应于 %(due)s 前答复。") % {"due": item.answer_due.isoformat()},
            department=item.policy.drafting_department,
            link=f"/admin/policy-questions/edit/{item.pk}/",
            dedup_key=f"policies.feedback_overdue.{item.pk}",
        )
        sent += note is not None
    return _("已提醒 %(n)d 条超时未答复的公众反馈") % {"n": sent}


# --- the monthly summary ------------------------------------------------------------------------------------


@dataclass
class SummaryRow:
    department: object
    received: int = 0
    by_class: dict = field(default_factory=dict)
    unclassified: int = 0
    answered: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0
    responses: int = 0
    days: list = field(default_factory=list)

    @property
    def class_counts(self) -> list[int]:
        from .models import FeedbackClass

        return [self.by_class.get(c, 0) for c in FeedbackClass.values]

    @property
    def average_days(self) -> float | None:
        return round(sum(self.days) / len(self.days), 1) if self.days else None


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=tz)
    end = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end


def monthly_summary(user, year: int, month: int, today: datetime.date | None = None) -> list[SummaryRow]:
    """Per department, the public feedback that arrived in the month: counts by class, answered on time / late,
    still overdue, average answer time in working days, 回应关切 published. Scoped with `for_user`: a district-wide
    role sees every department, a department only its own."""
    from gongkai.core.scoping import VIEW

    from .models import FeedbackClass, PolicyQuestion, QuestionStatus

    today = today or timezone.localdate()
    start, end = month_bounds(year, month)
    visible = PolicyQuestion.objects.for_user(user, VIEW)
    items = (
        public_feedback()
        .filter(pk__in=visible.values("pk"), created_at__gte=start, created_at__lt=end)
        .select_related("policy__drafting_department")
        .order_by("policy__drafting_department__name", "id")
    )
    rows: dict[int | None, SummaryRow] = {}
    for item in items:
        dept = item.policy.drafting_department
        row = rows.setdefault(
            dept.pk if dept else None,
            SummaryRow(department=dept, by_class={c: 0 for c in FeedbackClass.values}),
        )
        row.received += 1
        if item.feedback_class:
            row.by_class[item.feedback_class] += 1
        else:
            row.unclassified += 1
        if item.answered_at is not None:
            row.answered += 1
            if answered_on_time(item):
                row.on_time += 1
            else:
                row.late += 1
            taken = answer_working_days_taken(item)
            if taken is not None:
                row.days.append(taken)
        elif item.status == QuestionStatus.PENDING:
            row.pending += 1
            if is_overdue(item, today):
                row.overdue += 1
        if item.response_published_at is not None:
            row.responses += 1
    return list(rows.values())


def summary_xlsx(rows: list[SummaryRow], year: int, month: int) -> bytes:
    """The monthly summary as an .xlsx workbook (one sheet, a header row, a total row)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .models import FeedbackClass

    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年{month}月"
    header = (
        ["部门", "收到"]
        + [str(label) for label in FeedbackClass.labels]
        + [
            "未分类",
            "已答复",
            "按时答复",
            "超时答复",
            "待答复",
            "其中已超时",
            "平均答复用时（工作日）",
            "回应关切",
        ]
    )
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        name = row.department.display_name if row.department else "（未指定起草部门）"
        ws.append(
            [name, row.received]
            + [row.by_class.get(c, 0) for c in FeedbackClass.values]
            + [
                row.unclassified,
                row.answered,
                row.on_time,
                row.late,
                row.pending,
                row.overdue,
                row.average_days if row.average_days is not None else "",
                row.responses,
            ]
        )
    if rows:
        all_days = [d for r in rows for d in r.days]
        ws.append(
            ["合计", sum(r.received for r in rows)]
            + [sum(r.by_class.get(c, 0) for r in rows) for c in FeedbackClass.values]
            + [
                sum(r.unclassified for r in rows),
                sum(r.answered for r in rows),
                sum(r.on_time for r in rows),
                sum(r.late for r in rows),
                sum(r.pending for r in rows),
                sum(r.overdue for r in rows),
                round(sum(all_days) / len(all_days), 1) if all_days else "",
                sum(r.responses for r in rows),
            ]
        )
    ws.column_dimensions["A"].width = 28
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def review_risk(policy):
    """The public-opinion risk recorded in the policy's pre-release review (the latest self-review decision with a
    level), or None: shown to the department beside the feedback it collects (24:二(三)3 发布前评估舆情风险，发布后
    监测研判)."""
    from gongkai.review.models import ReviewDecision

    return (
        ReviewDecision.objects.filter(submission__policy=policy)
        .exclude(risk_level="")
        .order_by("-decided_at", "-id")
        .first()
    )
