"""Every change of public participation goes through these functions: keyword-only `actor`, one transaction, an
audit entry in it, notices after commit (house rule 1). Views, admin screens, the demo and tests call them."""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit
from gongkai.core.pagecache import content_changed
from gongkai.core.roles import DEPARTMENT_OFFICER, is_district_wide, user_has_role
from gongkai.core.scoping import CHANGE

from . import rules
from .models import (
    Comment,
    CommentGroup,
    CommentStatus,
    Consultation,
    ConsultationStatus,
    Disposition,
    FeedbackReport,
    QuestionKind,
    ReportStatus,
    SensitiveWord,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)

COMMENT_MAX_CHARS = 5000
EXPLANATION_MAX_CHARS = 20000
DRAFT_MAX_CHARS = 200_000
REASON_MAX_CHARS = 2000
SURVEY_TEXT_MAX_CHARS = 2000
MAX_OPTIONS = 30
MAX_QUESTIONS = 100


def _clean(value, limit: int, label: str, *, required: bool = True) -> str:
    text = "".join(ch for ch in str(value or "") if ch.isprintable() or ch in "\n\t").strip()
    if required and not text:
        raise ValidationError(_("请填写%(label)s") % {"label": label})
    if len(text) > limit:
        raise ValidationError(_("%(label)s不能超过 %(limit)d 个字") % {"label": label, "limit": limit})
    return text


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


CONSULTATION_FIELDS = [
    "title",
    "explanation",
    "start_date",
    "end_date",
    "short_period_reason",
    "extended_to",
    "extension_reason",
    "status",
    "contact",
]


def can_manage(user, consultation) -> bool:
    """The drafting department (and district-wide roles) run a consultation: the scoping rule of the model."""
    return Consultation.objects.none().user_can(user, CHANGE, consultation)


def _check_manage(actor, consultation):
    if not can_manage(actor, consultation):
        raise PermissionDenied(_("只有起草部门可以办理本部门的意见征集"))


def latest_policy_text(policy) -> str:
    """The text the policy would publish next (its latest revision), the draft put out for comment."""
    from gongkai.secrecy.actions import _latest_content

    return _latest_content(policy).body or ""


# --- 1. drafts for comment ------------------------------------------------------------------------------------


@transaction.atomic
def create_consultation(
    *,
    actor,
    policy,
    title: str = "",
    explanation: str,
    draft_text: str | None = None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    short_period_reason: str = "",
    contact: str = "",
) -> Consultation:
    """A draft for comment on a policy record of the actor's department. The text defaults to the policy's latest
    draft; the period to 30 days from `start_date` (today)."""
    from gongkai.policies.actions import can_edit_policy

    if policy is None:
        raise ValidationError(_("请选择政策文件"))
    if actor is not None and not can_edit_policy(actor, policy):
        raise PermissionDenied(_("只能为本部门起草的政策文件征求意见"))
    if policy.drafting_department_id is None:
        raise ValidationError(_("该政策文件没有起草部门，不能征求意见"))
    start_date = start_date or timezone.localdate()
    end_date = end_date or rules.default_end(start_date)
    short_period_reason = _clean(short_period_reason, REASON_MAX_CHARS, _("理由"), required=False)
    rules.check_period(start_date, end_date, short_period_reason)
    text = latest_policy_text(policy) if draft_text is None else draft_text
    consultation = Consultation(
        department=policy.drafting_department,
        policy=policy,
        title=_clean(title or f"关于《{policy.title}》（征求意见稿）公开征求意见的公告", 300, _("标题")),
        explanation=_clean(explanation, EXPLANATION_MAX_CHARS, _("起草说明")),
        draft_text=_clean(text, DRAFT_MAX_CHARS, _("征求意见稿")),
        start_date=start_date,
        end_date=end_date,
        short_period_reason=short_period_reason,
        contact=_clean(contact, 200, _("联系方式"), required=False),
        created_by=_user(actor),
    )
    consultation.save()
    audit.record(
        "consultation.create",
        consultation,
        actor=actor,
        after=audit.snapshot(consultation, CONSULTATION_FIELDS),
        department=consultation.department,
    )
    return consultation


@transaction.atomic
def update_consultation(consultation, *, actor, **changes) -> Consultation:
    """Edits a consultation that is not published yet."""
    _check_manage(actor, consultation)
    if consultation.status != ConsultationStatus.DRAFT:
        raise ValidationError(_("已发布的意见征集不能修改；如需延长期限，请使用“延长期限”"))
    before = audit.snapshot(consultation, CONSULTATION_FIELDS)
    limits = {
        "title": 300,
        "explanation": EXPLANATION_MAX_CHARS,
        "draft_text": DRAFT_MAX_CHARS,
        "contact": 200,
    }
    labels = {
        "title": _("标题"),
        "explanation": _("起草说明"),
        "draft_text": _("征求意见稿"),
        "contact": _("联系方式"),
    }
    for name, value in changes.items():
        if name in limits:
            value = _clean(value, limits[name], labels[name], required=name != "contact")
        elif name == "short_period_reason":
            value = _clean(value, REASON_MAX_CHARS, _("理由"), required=False)
        elif name not in ("start_date", "end_date"):
            raise ValidationError(f"unknown field {name}")
        setattr(consultation, name, value)
    rules.check_period(consultation.start_date, consultation.end_date, consultation.short_period_reason)
    consultation.save()
    audit.record(
        "consultation.update",
        consultation,
        actor=actor,
        before=before,
        after=audit.snapshot(consultation, CONSULTATION_FIELDS),
    )
    return consultation


@transaction.atomic
def publish_consultation(consultation, *, actor) -> Consultation:
    """Puts the draft out for comment. The period rule is checked again (a start date in the past is moved to
    today, keeping the length)."""
    _check_manage(actor, consultation)
    if consultation.status != ConsultationStatus.DRAFT:
        raise ValidationError(_("该意见征集已发布"))
    today = timezone.localdate()
    before = audit.snapshot(consultation, CONSULTATION_FIELDS)
    # The system (actor None: an import of a consultation held before the platform, the demo) keeps its dates.
    if actor is not None and consultation.start_date < today:
        length = consultation.end_date - consultation.start_date
        consultation.start_date, consultation.end_date = today, today + length
    rules.check_period(consultation.start_date, consultation.end_date, consultation.short_period_reason)
    if not consultation.units():
        raise ValidationError(_("征求意见稿没有内容"))
    consultation.status = ConsultationStatus.PUBLISHED
    consultation.published_at = timezone.now()
    consultation.save()
    audit.record(
        "consultation.publish",
        consultation,
        actor=actor,
        before=before,
        after=audit.snapshot(consultation, CONSULTATION_FIELDS),
        note=consultation.short_period_reason and f"缩短期限：{consultation.short_period_reason}",
    )
    return consultation


@transaction.atomic
def extend_consultation(consultation, *, actor, until: datetime.date, reason: str) -> Consultation:
    """Extends the comment period (shown on the page with its reason). Only later than the current end."""
    _check_manage(actor, consultation)
    if consultation.status != ConsultationStatus.PUBLISHED:
        raise ValidationError(_("只能延长已发布的意见征集"))
    reason = _clean(reason, 300, _("延长理由"))
    if until is None or until <= consultation.closes_on:
        raise ValidationError(
            _("延长后的截止日期须晚于当前截止日期（%(day)s）") % {"day": consultation.closes_on}
        )
    before = audit.snapshot(consultation, CONSULTATION_FIELDS)
    consultation.extended_to = until
    consultation.extension_reason = reason
    consultation.save()
    audit.record(
        "consultation.extend",
        consultation,
        actor=actor,
        before=before,
        after=audit.snapshot(consultation, CONSULTATION_FIELDS),
        note=reason,
    )
    return consultation


def sensitive_hits(text: str) -> list[str]:
    """The active words of the office's list found in `text` (case-insensitive)."""
    lowered = text.casefold()
    return [
        w
        for w in SensitiveWord.objects.filter(active=True).values_list("word", flat=True)
        if w.casefold() in lowered
    ]


@transaction.atomic
def submit_comment(
    consultation,
    *,
    actor=None,
    text: str,
    unit_index: int | None = None,
    name: str = "",
    contact: str = "",
    show_name: bool = False,
    received_at: datetime.datetime | None = None,
) -> Comment:
    """A member of the public comments on the whole draft or on one article. It waits for moderation (due in
    `rules.moderation_due` working days); the confidentiality scan and the sensitive-word list flag it for staff.
    `received_at` is for imports of comments received before the platform (the views never pass it)."""
    from gongkai.core.notify import notify
    from gongkai.secrecy.public_text import scan_public_text

    now = received_at or timezone.now()
    if not consultation.is_open(timezone.localtime(now).date()):
        raise ValidationError(_("该草案不在征求意见期内，不能提交意见"))
    text = _clean(text, COMMENT_MAX_CHARS, _("意见"))
    article = ""
    if unit_index is not None:
        units = consultation.units()
        if not (0 <= unit_index < len(units)):
            raise ValidationError(_("所选条款不存在"))
        unit = units[unit_index]
        article = (unit.key or unit.body[:20])[:60]
    name = _clean(name, 50, _("姓名"), required=False)
    contact = _clean(contact, 100, _("联系方式"), required=False)
    scan = scan_public_text({"意见": text, "署名": name if show_name else ""})
    hits = sensitive_hits(text + "\n" + (name if show_name else ""))
    comment = Comment.objects.create(
        consultation=consultation,
        unit_index=unit_index,
        article=article,
        text=text,
        name=name,
        show_name=bool(show_name and name),
        contact=contact,
        scan_level=scan.level,
        sensitive_words="、".join(hits)[:300],
        moderation_due=rules.moderation_due(now),
        created_at=now,
    )
    audit.record(
        "consultation.comment",
        comment,
        actor=actor,
        after={
            "consultation": consultation.pk,
            "article": article,
            "scan_level": scan.level,
            "sensitive": bool(hits),
        },
        department=consultation.department,
    )
    notify(
        subject=_("收到公众意见：%(title)s") % {"title": consultation.title[:80]},
        body=_("请于 %(due)s 前审核。") % {"due": comment.moderation_due.isoformat()},
        department=consultation.department,
        link=f"/admin/consultation/comments/{comment.pk}/",
    )
    return comment


def _check_comment(actor, comment):
    _check_manage(actor, comment.consultation)


def comment_scan(comment):
    from gongkai.secrecy.public_text import scan_public_text

    return scan_public_text({"意见": comment.text, "署名": comment.name if comment.show_name else ""})


COMMENT_FIELDS = ["status", "moderation_note", "disposition", "disposition_reason", "group_id"]


@transaction.atomic
def publish_comment(comment, *, actor, confirm_personal_data: bool = False) -> Comment:
    """Moderation: the comment shows under its article. A high personal-data finding blocks until redacted; a
    medium one needs the officer's confirmation (recorded)."""
    _check_comment(actor, comment)
    if comment.status == CommentStatus.PUBLISHED:
        return comment
    scan = comment_scan(comment)
    problem = scan.publication_problem(confirmed=confirm_personal_data)
    if problem:
        raise ValidationError(problem)
    before = audit.snapshot(comment, COMMENT_FIELDS)
    comment.status = CommentStatus.PUBLISHED
    comment.moderated_at = timezone.now()
    comment.moderated_by = _user(actor)
    comment.moderation_note = ""
    comment.save()
    note = ("经办人确认公开所含个人信息：" + scan.summary(("medium",))) if scan.needs_confirmation else ""
    audit.record(
        "consultation.comment_publish",
        comment,
        actor=actor,
        before=before,
        after=audit.snapshot(comment, COMMENT_FIELDS),
        note=note,
    )
    return comment


@transaction.atomic
def hide_comment(comment, *, actor, reason: str) -> Comment:
    """Moderation: the comment is not published (abuse, advertising, unlawful content, a duplicate …). The
    reason is kept; the comment stays for the record and is left out of the feedback report's counts."""
    _check_comment(actor, comment)
    reason = _clean(reason, 300, _("不予公开的理由"))
    before = audit.snapshot(comment, COMMENT_FIELDS)
    comment.status = CommentStatus.HIDDEN
    comment.moderated_at = timezone.now()
    comment.moderated_by = _user(actor)
    comment.moderation_note = reason
    comment.disposition, comment.disposition_reason, comment.group = "", "", None
    comment.save()
    audit.record(
        "consultation.comment_hide",
        comment,
        actor=actor,
        before=before,
        after=audit.snapshot(comment, COMMENT_FIELDS),
        note=reason,
    )
    return comment


@transaction.atomic
def redact_comment(comment, *, actor, reason: str, text: str | None = None):
    """Masks the personal data in a comment (or publishes the officer's edited text); the original is kept for
    staff in `original_text`."""
    from gongkai.secrecy.actions import redact_public_text

    return redact_public_text(
        comment,
        actor=actor,
        field="text",
        reason=reason,
        text=text,
        can_edit=lambda user, obj: can_manage(user, obj.consultation),
    )


def moderation_overdue(queryset=None):
    """Comments still waiting after their moderation day."""
    qs = Comment.objects.all() if queryset is None else queryset
    return qs.filter(status=CommentStatus.PENDING, moderation_due__lt=timezone.localdate())


# --- 2. dispositions and the feedback report ------------------------------------------------------------------


def _check_disposition(disposition: str, reason: str) -> str:
    if disposition not in Disposition.values:
        raise ValidationError(_("请选择采纳情况"))
    reason = _clean(reason, REASON_MAX_CHARS, _("理由"), required=False)
    if rules.reason_required(disposition) and not reason:
        raise ValidationError(_("“%(label)s”须说明理由") % {"label": Disposition(disposition).label})
    return reason


def _check_report_open(consultation):
    report = getattr(consultation, "report", None) if consultation.pk else None
    if report is not None and report.status == ReportStatus.PUBLISHED:
        raise ValidationError(_("意见采纳情况已公开，不能再修改处理意见"))


@transaction.atomic
def dispose_comment(comment, *, actor, disposition: str, reason: str = "") -> Comment:
    """采纳 / 部分采纳 / 未采纳 / 不属于本次征求范围, with a reason for all but 采纳. A comment of a group is
    answered through its group."""
    _check_comment(actor, comment)
    _check_report_open(comment.consultation)
    if comment.status != CommentStatus.PUBLISHED:
        raise ValidationError(_("请先审核公开该意见，再作处理"))
    if comment.group_id:
        raise ValidationError(
            _("该意见已归入同类意见“%(point)s”，请在同类意见中统一答复") % {"point": comment.group.point}
        )
    reason = _check_disposition(disposition, reason)
    before = audit.snapshot(comment, COMMENT_FIELDS)
    comment.disposition, comment.disposition_reason = disposition, reason
    comment.disposed_at = timezone.now()
    comment.save()
    audit.record(
        "consultation.comment_dispose",
        comment,
        actor=actor,
        before=before,
        after=audit.snapshot(comment, COMMENT_FIELDS),
    )
    return comment


@transaction.atomic
def group_comments(consultation, comments, *, actor, point: str) -> CommentGroup:
    """Puts published comments on the same point into one group, to be answered once."""
    _check_manage(actor, consultation)
    _check_report_open(consultation)
    point = _clean(point, 300, _("意见要点"))
    comments = list(comments)
    if len(comments) < 1:
        raise ValidationError(_("请选择要归并的意见"))
    for c in comments:
        if c.consultation_id != consultation.pk:
            raise ValidationError(_("只能归并本次征求意见收到的意见"))
        if c.status != CommentStatus.PUBLISHED:
            raise ValidationError(_("只能归并已公开的意见"))
    group = CommentGroup.objects.create(consultation=consultation, point=point)
    Comment.objects.filter(pk__in=[c.pk for c in comments]).update(
        group=group, disposition="", disposition_reason="", disposed_at=None
    )
    content_changed()
    audit.record(
        "consultation.group",
        group,
        actor=actor,
        after={"point": point, "comments": [c.pk for c in comments]},
        department=consultation.department,
    )
    return group


@transaction.atomic
def ungroup_comment(comment, *, actor) -> Comment:
    _check_comment(actor, comment)
    _check_report_open(comment.consultation)
    before = audit.snapshot(comment, COMMENT_FIELDS)
    group = comment.group
    comment.group = None
    comment.disposition, comment.disposition_reason, comment.disposed_at = "", "", None
    comment.save()
    if group is not None and not group.comments.exists():
        group.delete()
    audit.record(
        "consultation.ungroup",
        comment,
        actor=actor,
        before=before,
        after=audit.snapshot(comment, COMMENT_FIELDS),
    )
    return comment


@transaction.atomic
def dispose_group(group, *, actor, disposition: str, reason: str = "") -> CommentGroup:
    """One answer for every comment of the group; each comment carries it (the report counts comments)."""
    _check_manage(actor, group.consultation)
    _check_report_open(group.consultation)
    reason = _check_disposition(disposition, reason)
    before = {"disposition": group.disposition, "reason": group.reason}
    group.disposition, group.reason = disposition, reason
    group.save()
    group.comments.update(disposition=disposition, disposition_reason=reason, disposed_at=timezone.now())
    content_changed()  # QuerySet.update sends no signal: the cached public pages are told here
    audit.record(
        "consultation.group_dispose",
        group,
        actor=actor,
        before=before,
        after={
            "disposition": disposition,
            "reason": reason,
            "comments": list(group.comments.values_list("pk", flat=True)),
        },
        department=group.consultation.department,
    )
    return group


def disposition_counts(consultation) -> dict[str, int]:
    """Published comments by disposition (every disposition present, zeros included)."""
    counts = {value: 0 for value in Disposition.values}
    rows = (
        Comment.objects.filter(consultation=consultation, status=CommentStatus.PUBLISHED)
        .exclude(disposition="")
        .values("disposition")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["disposition"]] = row["n"]
    return counts


def report_blockers(consultation) -> list[str]:
    """What stops the report from being generated: the period still running, comments not moderated or not
    answered."""
    problems = []
    if consultation.status != ConsultationStatus.PUBLISHED:
        problems.append(_("意见征集尚未发布"))
    elif not consultation.is_closed():
        problems.append(_("征求意见期尚未结束（截止 %(day)s）") % {"day": consultation.closes_on})
    comments = Comment.objects.filter(consultation=consultation)
    pending = comments.filter(status=CommentStatus.PENDING).count()
    if pending:
        problems.append(_("还有 %(n)d 条意见待审核") % {"n": pending})
    undisposed = comments.filter(status=CommentStatus.PUBLISHED, disposition="").count()
    if undisposed:
        problems.append(_("还有 %(n)d 条意见未作采纳处理") % {"n": undisposed})
    return problems


def _points(consultation) -> list[dict]:
    points = []
    for group in consultation.groups.prefetch_related("comments").order_by("id"):
        members = [c for c in group.comments.all() if c.status == CommentStatus.PUBLISHED]
        if not members:
            continue
        articles = sorted({c.article for c in members if c.article})
        points.append(
            {
                "point": group.point,
                "articles": articles,
                "comments": len(members),
                "disposition": group.disposition,
                "reason": group.reason,
            }
        )
    for c in consultation.comments.filter(status=CommentStatus.PUBLISHED, group__isnull=True).order_by(
        "unit_index", "id"
    ):
        points.append(
            {
                "point": c.text[:300],
                "articles": [c.article] if c.article else [],
                "comments": 1,
                "disposition": c.disposition,
                "reason": c.disposition_reason,
            }
        )
    return points


def _changes(draft_text: str, final_text: str) -> dict:
    from gongkai.policies.diff import compare_texts

    result = compare_texts(draft_text, final_text)
    articles = []
    for item in result["items"]:
        if item["kind"] == "heading":
            continue
        articles.append(
            {
                "status": item["status"],
                "old_key": item["old_key"],
                "new_key": item["new_key"],
                "old_text": item["old_text"][:500],
                "new_text": item["new_text"][:500],
            }
        )
    return {"identical": result["identical"], "summary": result["summary"], "articles": articles}


REPORT_FIELDS = ["status", "counts", "summary"]


@transaction.atomic
def generate_report(consultation, *, actor, summary: str = "") -> FeedbackReport:
    """Generates (or regenerates, before approval) the 意见采纳情况 from the dispositions and the comparison of the
    draft with the policy's current text."""
    _check_manage(actor, consultation)
    problems = report_blockers(consultation)
    if problems:
        raise ValidationError(problems)
    report = FeedbackReport.objects.filter(consultation=consultation).first()
    if report is not None and report.status != ReportStatus.DRAFT:
        raise ValidationError(_("意见采纳情况已审定，不能重新生成"))
    before = audit.snapshot(report, REPORT_FIELDS) if report else None
    counts = disposition_counts(consultation)
    final_text = latest_policy_text(consultation.policy)
    total = sum(counts.values())
    hidden = consultation.comments.filter(status=CommentStatus.HIDDEN).count()
    default_summary = (
        f"{consultation.start_date:%Y年%m月%d日}至{consultation.closes_on:%Y年%m月%d日}，"
        f"《{consultation.policy.title}》（征求意见稿）向社会公开征求意见，共收到有效意见{total}条，"
        f"其中采纳{counts['adopted']}条、部分采纳{counts['partly']}条、未采纳{counts['not_adopted']}条、"
        f"不属于本次征求范围{counts['out_of_scope']}条。"
        + (f"另有{hidden}条因含有与草案无关、重复或违法违规内容未予公开，未纳入统计。" if hidden else "")
    )
    summary = _clean(summary, EXPLANATION_MAX_CHARS, _("总体情况"), required=False) or default_summary
    report = report or FeedbackReport(consultation=consultation)
    report.summary = summary
    report.counts = counts
    report.points = _points(consultation)
    report.final_text = final_text
    report.changes = _changes(consultation.draft_text, final_text)
    report.generated_at = timezone.now()
    report.status = ReportStatus.DRAFT
    report.save()
    audit.record(
        "consultation.report_generate",
        report,
        actor=actor,
        before=before,
        after=audit.snapshot(report, REPORT_FIELDS),
        department=consultation.department,
    )
    return report


def can_approve_report(user, report) -> bool:
    """The department's openness officer (部门公开专员) or a district-wide role approves the report."""
    if user is None:
        return True
    if not can_manage(user, report.consultation):
        return False
    return is_district_wide(user) or user_has_role(user, DEPARTMENT_OFFICER)


def _check_counts(report):
    """The report's counts must equal the dispositions as they are now."""
    if report.counts != disposition_counts(report.consultation):
        raise ValidationError(_("报告生成后处理意见有变化，请重新生成意见采纳情况"))


@transaction.atomic
def approve_report(report, *, actor) -> FeedbackReport:
    if not can_approve_report(actor, report):
        raise PermissionDenied(_("意见采纳情况须由部门公开专员或区政务公开办审定"))
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("该报告已审定"))
    _check_counts(report)
    before = audit.snapshot(report, REPORT_FIELDS)
    report.status = ReportStatus.APPROVED
    report.approved_by = _user(actor)
    report.approved_at = timezone.now()
    report.save()
    audit.record(
        "consultation.report_approve",
        report,
        actor=actor,
        before=before,
        after=audit.snapshot(report, REPORT_FIELDS),
    )
    return report


def _publish_report(report, actor):
    before = audit.snapshot(report, REPORT_FIELDS)
    policy = report.consultation.policy
    report.final_text = policy.body or ""
    report.changes = _changes(report.consultation.draft_text, report.final_text)
    report.status = ReportStatus.PUBLISHED
    report.published_at = timezone.now()
    report.save()
    audit.record(
        "consultation.report_publish",
        report,
        actor=actor,
        before=before,
        after=audit.snapshot(report, REPORT_FIELDS),
    )
    return report


@transaction.atomic
def publish_report(report, *, actor) -> FeedbackReport:
    """Publishes an approved report — only together with (or after) the final policy: when the policy is not
    public yet, the report waits and is published by `publish_reports_with_policy` when it is."""
    from gongkai.policies.actions import is_visible_to_public

    _check_manage(actor, report.consultation)
    if report.status == ReportStatus.PUBLISHED:
        return report
    if report.status != ReportStatus.APPROVED:
        raise ValidationError(_("意见采纳情况须先审定"))
    if not is_visible_to_public(report.consultation.policy):
        raise ValidationError(_("定稿政策尚未公开发布；报告已审定，将在政策发布时一并公开"))
    _check_counts(report)
    return _publish_report(report, actor)


def publish_reports_with_policy(sender, policy, actor=None, **kwargs):
    """The `policy_published` receiver: approved reports of the policy's consultations are published in the
    publishing transaction (the feedback goes out with the final text)."""
    from gongkai.policies.actions import is_visible_to_public

    if not is_visible_to_public(policy):
        return
    for report in FeedbackReport.objects.filter(consultation__policy=policy, status=ReportStatus.APPROVED):
        if report.counts == disposition_counts(report.consultation):
            _publish_report(report, actor)


# --- 3. needs surveys ----------------------------------------------------------------------------------------

SURVEY_FIELDS = [
    "title",
    "description",
    "status",
    "end_date",
    "answers_per_person",
    "consultation_id",
    "policy_id",
]


def can_manage_survey(user, survey) -> bool:
    return Survey.objects.none().user_can(user, CHANGE, survey)


def _check_survey(actor, survey):
    if not can_manage_survey(actor, survey):
        raise PermissionDenied(_("只能管理本部门的问卷"))


@transaction.atomic
def create_survey(
    *,
    actor,
    department,
    title: str,
    description: str = "",
    consultation=None,
    policy=None,
    answers_per_person: int = 1,
    end_date: datetime.date | None = None,
) -> Survey:
    survey = Survey(
        department=department,
        title=_clean(title, 200, _("标题")),
        description=_clean(description, SURVEY_TEXT_MAX_CHARS, _("说明"), required=False),
        consultation=consultation,
        policy=policy,
        answers_per_person=max(1, min(int(answers_per_person or 1), 100)),
        end_date=end_date,
    )
    _check_survey(actor, survey)
    if consultation is not None and consultation.department_id != department.pk:
        raise ValidationError(_("只能关联本部门的意见征集"))
    if policy is not None and policy.drafting_department_id not in (department.pk, None):
        raise ValidationError(_("只能关联本部门起草的政策文件"))
    survey.save()
    audit.record(
        "consultation.survey_create", survey, actor=actor, after=audit.snapshot(survey, SURVEY_FIELDS)
    )
    return survey


def _clean_options(kind: str, options) -> list[str]:
    if kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return []
    if isinstance(options, str):
        options = options.splitlines()
    cleaned = []
    for option in options or []:
        option = _clean(option, 200, _("选项"), required=False)
        if option and option not in cleaned:
            cleaned.append(option)
    if len(cleaned) < 2:
        raise ValidationError(_("选择题至少需要两个不同的选项（每行一个）"))
    if len(cleaned) > MAX_OPTIONS:
        raise ValidationError(_("选项不能超过 %(n)d 个") % {"n": MAX_OPTIONS})
    return cleaned


@transaction.atomic
def add_question(survey, *, actor, text: str, kind: str, options=(), required: bool = True) -> SurveyQuestion:
    _check_survey(actor, survey)
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(_("问卷发布后不能再修改题目"))
    if kind not in QuestionKind.values:
        raise ValidationError(_("请选择题型"))
    if survey.questions.count() >= MAX_QUESTIONS:
        raise ValidationError(_("题目不能超过 %(n)d 道") % {"n": MAX_QUESTIONS})
    question = SurveyQuestion.objects.create(
        survey=survey,
        order=survey.questions.count() + 1,
        text=_clean(text, 300, _("题目")),
        kind=kind,
        options=_clean_options(kind, options),
        required=bool(required),
    )
    audit.record(
        "consultation.survey_question",
        survey,
        actor=actor,
        after={"question": question.text, "kind": kind, "options": question.options},
        department=survey.department,
    )
    return question


@transaction.atomic
def delete_question(question, *, actor):
    survey = question.survey
    _check_survey(actor, survey)
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(_("问卷发布后不能再修改题目"))
    audit.record(
        "consultation.survey_question_delete", survey, actor=actor, before={"question": question.text}
    )
    question.delete()


@transaction.atomic
def open_survey(survey, *, actor) -> Survey:
    _check_survey(actor, survey)
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(_("问卷已发布"))
    if not survey.questions.exists():
        raise ValidationError(_("问卷还没有题目"))
    today = timezone.localdate()
    if survey.end_date and survey.end_date < today:
        raise ValidationError(_("截止日期已过"))
    before = audit.snapshot(survey, SURVEY_FIELDS)
    survey.status, survey.start_date = SurveyStatus.OPEN, today
    survey.save()
    audit.record(
        "consultation.survey_open",
        survey,
        actor=actor,
        before=before,
        after=audit.snapshot(survey, SURVEY_FIELDS),
    )
    return survey


@transaction.atomic
def close_survey(survey, *, actor) -> Survey:
    _check_survey(actor, survey)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError(_("问卷不在征集中"))
    before = audit.snapshot(survey, SURVEY_FIELDS)
    survey.status = SurveyStatus.CLOSED
    survey.end_date = min(survey.end_date or timezone.localdate(), timezone.localdate())
    survey.save()
    audit.record(
        "consultation.survey_close",
        survey,
        actor=actor,
        before=before,
        after=audit.snapshot(survey, SURVEY_FIELDS),
    )
    return survey


def respondent_key(token: str) -> str:
    """What is stored for a browser: a salted hash of its random token."""
    from django.conf import settings

    return hashlib.sha256(f"{settings.SECRET_KEY[:16]}:survey:{token}".encode()).hexdigest()


def answers_left(survey, token: str) -> int:
    if not token:
        return survey.answers_per_person
    used = SurveyResponse.objects.filter(survey=survey, respondent=respondent_key(token)).count()
    return max(0, survey.answers_per_person - used)


def clean_answers(survey, raw: dict) -> dict[int, dict]:
    """Validates answers `{question_id: value}` (a list of option indexes for multiple choice, an index for single,
    text, or a rating 1–5). Raises ValidationError with every problem (messages name the question)."""
    errors = []
    cleaned: dict[int, dict] = {}
    for q in survey.questions.all():
        value = raw.get(q.pk)
        label = f"第{q.order}题"
        empty = value in (None, "", [], ())
        if empty:
            if q.required:
                errors.append(_("%(q)s为必答题") % {"q": label})
            continue
        try:
            if q.kind == QuestionKind.SINGLE:
                index = int(value[0] if isinstance(value, list | tuple) else value)
                if not 0 <= index < len(q.options):
                    raise ValueError
                cleaned[q.pk] = {"choices": [index]}
            elif q.kind == QuestionKind.MULTIPLE:
                values = value if isinstance(value, list | tuple) else [value]
                indexes = sorted({int(v) for v in values})
                if not indexes or any(not 0 <= i < len(q.options) for i in indexes):
                    raise ValueError
                cleaned[q.pk] = {"choices": indexes}
            elif q.kind == QuestionKind.RATING:
                rating = int(value[0] if isinstance(value, list | tuple) else value)
                if not 1 <= rating <= 5:
                    raise ValueError
                cleaned[q.pk] = {"rating": rating}
            else:
                text = value[0] if isinstance(value, list | tuple) else value
                cleaned[q.pk] = {"text": _clean(text, SURVEY_TEXT_MAX_CHARS, label)}
        except (TypeError, ValueError):
            errors.append(_("%(q)s的回答无效") % {"q": label})
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def submit_survey_response(survey, *, actor=None, token: str, answers: dict) -> SurveyResponse:
    """A visitor's answers. At most `answers_per_person` per browser token (the view also rate-limits the
    address). Free-text answers are stored, never published: only counts and averages are public."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.is_accepting():
        raise ValidationError(_("该问卷不在征集期内"))
    if not token:
        raise ValidationError(_("表单已过期或无效，请刷新页面后重新填写"))
    if answers_left(survey, token) <= 0:
        raise ValidationError(
            _("您已填写过该问卷（每人限 %(n)d 次），感谢参与") % {"n": survey.answers_per_person}
        )
    cleaned = clean_answers(survey, answers)
    if not cleaned:
        raise ValidationError(_("请至少回答一道题"))
    response = SurveyResponse.objects.create(survey=survey, respondent=respondent_key(token))
    SurveyAnswer.objects.bulk_create(
        [
            SurveyAnswer(
                response=response,
                question_id=qid,
                choices=value.get("choices", []),
                text=value.get("text", ""),
                rating=value.get("rating"),
            )
            for qid, value in cleaned.items()
        ]
    )
    audit.record(
        "consultation.survey_answer",
        response,
        actor=actor,
        after={"survey": survey.pk, "questions": len(cleaned)},
        department=survey.department,
    )
    return response


@transaction.atomic
def add_sensitive_word(word: str, *, actor, note: str = "") -> SensitiveWord:
    """Adds a word to the office's list (the admin's own create screen is audited by `core.wagtail_audit`)."""
    word = _clean(word, 50, _("敏感词"))
    item, created = SensitiveWord.objects.get_or_create(
        word=word, defaults={"note": _clean(note, 200, _("说明"), required=False)}
    )
    if created:
        audit.record("consultation.sensitive_word_add", item, actor=actor, after={"word": word})
    return item
