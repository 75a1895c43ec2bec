"""Policy evaluation (政策评价, 23:二(五)1-2, 24:二(四)3): the usage figures of a policy for one year, the
report's charts, and the Word export.

Usage: page views and visits that came from a search result (counted by the policy page's beacon, so cached
pages count too), matches that found its items (`MatchLog`), applications and amounts (`ItemStatistic`, entered
by the department or taken from 京策, plus published 免申即享 lists), Q&A and public feedback (`PolicyQuestion`)
and published interpretations; survey results from `surveys.survey_results`.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import (
    Evaluation,
    ItemStatistic,
    MatchLog,
    NoApplicationRun,
    RunStatus,
    UsageCount,
    UsageKind,
)
from .surveys import survey_results

METHODS = ["征集调查", "专题座谈", "重点访谈", "舆情监测", "网络问政", "数据分析"]


def collect_usage(policy, year: int) -> dict:
    from gongkai.policies.models import InterpretationStatus, PolicyQuestion, QuestionOrigin, QuestionStatus

    counts = UsageCount.objects.filter(policy=policy, day__year=year)
    totals = {kind: 0 for kind in UsageKind.values}
    monthly = [0] * 12
    for row in counts.values("kind", "day", "count"):
        totals[row["kind"]] += row["count"]
        if row["kind"] == UsageKind.PAGE_VIEW:
            monthly[row["day"].month - 1] += row["count"]
    items = list(policy.redemption_items.order_by("id"))
    item_ids = {i.pk for i in items}
    eligible = unknown = 0
    if item_ids:
        for log in (
            MatchLog.objects.filter(at__year=year).values("eligible_items", "unknown_items").iterator()
        ):
            eligible += any(i in item_ids for i in log["eligible_items"])
            unknown += any(i in item_ids for i in log["unknown_items"])
    rows = []
    applications = approved = 0
    amount = Decimal("0")
    for item in items:
        stat = ItemStatistic.objects.filter(item=item, year=year).first()
        runs = NoApplicationRun.objects.filter(item=item, status=RunStatus.PUBLISHED, published_at__year=year)
        run_beneficiaries = sum(r.beneficiaries.filter(included=True).count() for r in runs)
        run_amount = runs.aggregate(total=Sum("total_amount"))["total"] or Decimal("0")
        row = {
            "code": item.code,
            "title": item.title,
            "applications": stat.applications if stat else 0,
            "approved": (stat.approved if stat else 0) + run_beneficiaries,
            "amount": float((stat.amount if stat else Decimal("0")) + run_amount),
            "no_application_beneficiaries": run_beneficiaries,
        }
        applications += row["applications"]
        approved += row["approved"]
        amount += Decimal(str(row["amount"]))
        rows.append(row)
    questions = PolicyQuestion.objects.filter(policy=policy, created_at__year=year)
    return {
        "year": year,
        "page_views": totals[UsageKind.PAGE_VIEW],
        "search_visits": totals[UsageKind.SEARCH_VISIT],
        "item_views": totals[UsageKind.ITEM_VIEW],
        "monthly_views": monthly,
        "matches_eligible": eligible,
        "matches_unknown": unknown,
        "items": rows,
        "applications": applications,
        "approved": approved,
        "amount": float(amount),
        "public_questions": questions.filter(origin=QuestionOrigin.PUBLIC_QUESTION).count(),
        "public_comments": questions.filter(origin=QuestionOrigin.PUBLIC_COMMENT).count(),
        "questions_answered": questions.filter(status=QuestionStatus.PUBLISHED).count(),
        "interpretations": policy.interpretations.filter(status=InterpretationStatus.PUBLISHED).count(),
        "collected_at": timezone.now().isoformat(),
    }


def collect_surveys(policy, year: int) -> list[dict]:
    return [s.as_dict() for s in survey_results(policy, year)]


def usage_rows(usage: dict) -> list[tuple[str, str]]:
    """(label, value) for the report's usage table."""
    if not usage:
        return []
    times = _("%(n)s 次")
    return [
        (_("政策页面浏览量"), times % {"n": usage.get("page_views", 0)}),
        (_("经检索进入政策页面"), times % {"n": usage.get("search_visits", 0)}),
        (_("兑现事项浏览量"), times % {"n": usage.get("item_views", 0)}),
        (_("政策匹配中判断为符合条件"), times % {"n": usage.get("matches_eligible", 0)}),
        (_("政策匹配中信息不足待判断"), times % {"n": usage.get("matches_unknown", 0)}),
        (_("申报（受理）数"), _("%(n)s 件") % {"n": usage.get("applications", 0)}),
        (_("兑现企业数（含免申即享）"), _("%(n)s 家") % {"n": usage.get("approved", 0)}),
        (_("兑现金额"), _("%(amount)s 万元") % {"amount": f"{usage.get('amount', 0):.2f}"}),
        (_("公众提问"), _("%(n)s 条") % {"n": usage.get("public_questions", 0)}),
        (_("公众意见建议"), _("%(n)s 条") % {"n": usage.get("public_comments", 0)}),
        (_("已公开答复"), _("%(n)s 条") % {"n": usage.get("questions_answered", 0)}),
        (_("已发布政策解读"), _("%(n)s 篇") % {"n": usage.get("interpretations", 0)}),
    ]


def bar_chart_svg(
    values,
    labels,
    *,
    title: str,
    unit: str = "",
    width: int = 560,
    height: int = 200,
    chart_id: str = "chart",
) -> str:
    """A small bar chart as inline SVG (presentation attributes only, no style or script), with a title and a
    text description for screen readers."""
    values = [float(v or 0) for v in values]
    top = max(values) if values and max(values) > 0 else 1.0
    n = max(len(values), 1)
    gap = 6
    chart_h = height - 55  # room for the value labels above and the names below
    bar_w = min(60, max(4, (width - 20 - gap * n) // n))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" class="chart">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d"{lang(labels)}>'
        + escape(
            _("；").join(
                _("%(label)s：%(value)s%(unit)s") % {"label": label, "value": _fmt(v), "unit": unit}
                for label, v in zip(labels, values, strict=False)
            )
        )
        + "</desc>",
        f'<line x1="10" y1="{chart_h + 20}" x2="{width - 10}" y2="{chart_h + 20}" stroke="#4a4a4a" stroke-width="1"/>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=False)):
        h = int(chart_h * value / top)
        x = 10 + i * (bar_w + gap)
        y = chart_h + 20 - h
        parts.append(f'<rect x="{x}" y="{y}" width="{bar_w}" height="{h}" fill="#a31515"/>')
        parts.append(
            f'<text x="{x + bar_w / 2:.0f}" y="{height - 14}" font-size="11" text-anchor="middle" fill="#1a1a1a"{lang([label])}>{escape(label)}</text>'
        )
        if value:
            parts.append(
                f'<text x="{x + bar_w / 2:.0f}" y="{y - 4}" font-size="10" text-anchor="middle" fill="#1a1a1a">{escape(_fmt(value))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text part is escaped above


def lang(labels) -> str:
    """` lang="zh-Hans"` for chart text made of Chinese content (item titles) on an English page: the labels are
    content, not interface (docs/portal.md, "English site")."""
    from gongkai.portal.i18n import is_chinese

    return ' lang="zh-Hans"' if any(is_chinese(str(label)) for label in labels) else ""


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def charts(evaluation: Evaluation) -> list[dict]:
    usage = evaluation.usage or {}
    result = []
    if usage.get("monthly_views"):
        result.append(
            {
                "title": _("%(year)s年政策页面月度浏览量") % {"year": evaluation.year},
                "svg": bar_chart_svg(
                    usage["monthly_views"],
                    [_("%(month)s月") % {"month": m} for m in range(1, 13)],
                    title=_("月度浏览量"),
                    unit=pgettext("chart unit", "次"),
                    chart_id="chart-views",
                ),
            }
        )
    items = usage.get("items") or []
    if items:
        result.append(
            {
                "title": _("各兑现事项兑现企业数"),
                "svg": bar_chart_svg(
                    [i["approved"] for i in items],
                    [i["title"][:8] for i in items],
                    title=_("兑现企业数"),
                    unit=pgettext("chart unit", "家"),
                    chart_id="chart-items",
                ),
            }
        )
    return result


def render_docx(evaluation: Evaluation) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.font.size = Pt(12)
    document.add_heading(evaluation.title, level=0)
    document.add_paragraph(
        f"评价对象：《{evaluation.policy.title}》{evaluation.policy.doc_number}　评价年度：{evaluation.year}年　"
        f"评价部门：{evaluation.department.name}"
    )
    if evaluation.methods:
        document.add_paragraph("评价方式：" + "、".join(evaluation.methods))
    document.add_heading("一、使用数据", level=1)
    rows = usage_rows(evaluation.usage)
    table = document.add_table(rows=len(rows) + 1, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "数值"
    for i, (label, value) in enumerate(rows, 1):
        table.cell(i, 0).text, table.cell(i, 1).text = label, value
    if evaluation.surveys:
        document.add_heading("二、问卷调查", level=1)
        for survey in evaluation.surveys:
            document.add_paragraph(f"{survey['title']}（有效答卷 {survey['responses']} 份）")
            for question in survey.get("questions", []):
                line = question["text"]
                if question.get("options"):
                    line += "：" + "；".join(f"{o['label']} {o['count']}" for o in question["options"])
                elif question.get("average") is not None:
                    line += f"：平均 {question['average']:.2f} 分"
                document.add_paragraph(line, style="List Bullet")
    numerals = "三四五六七八九十"
    for index, (label, text) in enumerate(evaluation.section_rows()):
        document.add_heading(
            f"{numerals[index] if evaluation.surveys else '二三四五六七八九'[index]}、{label}", level=1
        )
        for paragraph in (text or "（未填写）").splitlines():
            document.add_paragraph(paragraph)
    findings = list(evaluation.findings.all())
    if findings:
        document.add_heading("评价结果运用", level=1)
        for finding in findings:
            document.add_paragraph(f"{finding.text}（{finding.get_action_display()}）", style="List Number")
    if evaluation.approved_at:
        document.add_paragraph(f"审定时间：{timezone.localtime(evaluation.approved_at):%Y年%m月%d日}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def default_title(policy, year: int) -> str:
    return f"《{policy.title}》{year}年度实施效果评价报告"
