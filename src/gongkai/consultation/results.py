"""Survey results: counts per option, averages of ratings, the number of text answers; a bar chart as
server-rendered SVG (no script, no inline style: the public pages' CSP is 'self'); the .xlsx export; and the survey
provider of policy evaluation (`gongkai.redemption.surveys`)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.db.models import Avg, Count
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from gongkai.portal.i18n import is_chinese

from .models import QuestionKind, Survey, SurveyAnswer, SurveyStatus


def question_results(survey) -> list[dict]:
    """[{question, kind, answers, options: [(label, count, percent)], average, distribution}] in order."""
    results = []
    answers = SurveyAnswer.objects.filter(response__survey=survey)
    per_question = dict(answers.values_list("question").annotate(n=Count("id")))
    for q in survey.questions.all():
        n = per_question.get(q.pk, 0)
        row = {"question": q, "kind": q.kind, "answers": n, "options": [], "average": None}
        if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            counts = [0] * len(q.options)
            for choices in answers.filter(question=q).values_list("choices", flat=True):
                for index in choices or []:
                    if 0 <= index < len(counts):
                        counts[index] += 1
            row["options"] = [
                (label, c, round(100 * c / n, 1) if n else 0.0)
                for label, c in zip(q.options, counts, strict=True)
            ]
        elif q.kind == QuestionKind.RATING:
            qs = answers.filter(question=q, rating__isnull=False)
            avg = qs.aggregate(a=Avg("rating"))["a"]
            row["average"] = round(avg, 2) if avg is not None else None
            dist = dict(qs.values_list("rating").annotate(c=Count("id")))
            row["options"] = [
                (
                    _("%(score)s分") % {"score": i},
                    dist.get(i, 0),
                    round(100 * dist.get(i, 0) / n, 1) if n else 0.0,
                )
                for i in range(1, 6)
            ]
        results.append(row)
    return results


BAR_HEIGHT = 22
LABEL_WIDTH = 180
CHART_WIDTH = 560


def bar_chart_svg(options: list[tuple[str, int, float]], title: str) -> str:
    """A horizontal bar chart; the bars' lengths are attributes, not styles. Text labels inside the SVG carry
    the counts; `role="img"` with a label, and the page shows the same figures as a table."""
    height = BAR_HEIGHT * len(options) + 8
    most = max((c for _l, c, _p in options), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 90
    lang = ' lang="zh-Hans"' if is_chinese(title) else ""  # the label is the question: content
    parts = [
        f'<svg class="chart" role="img"{lang} '
        f'aria-label="{escape(title, {chr(34): "&quot;"})}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, count, percent) in enumerate(options):
        y = 4 + i * BAR_HEIGHT
        width = round(span * count / most)
        short = label if len(label) <= 12 else label[:11] + "…"
        figures = _("%(count)s（%(percent)s%%）") % {"count": count, "percent": percent}
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" font-size="13" fill="#1b1b1b">{escape(short)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{max(width, 1)}" height="{BAR_HEIGHT - 6}" fill="#1d5fa6"></rect>'
            f'<text x="{LABEL_WIDTH + max(width, 1) + 6}" y="{y + 15}" font-size="13" fill="#1b1b1b">{escape(figures)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def results_with_charts(survey, *, include_texts: bool = False) -> list[dict]:
    """The results with their charts; `include_texts` (staff screens only) adds the latest free-text answers."""
    rows = question_results(survey)
    for row in rows:
        row["chart"] = bar_chart_svg(row["options"], row["question"].text) if row["options"] else ""
        if include_texts and row["kind"] == QuestionKind.TEXT:
            row["texts"] = list(
                SurveyAnswer.objects.filter(question=row["question"])
                .order_by("-id")
                .values_list("text", flat=True)[:200]
            )
    return rows


def export_xlsx(survey) -> bytes:
    """Two sheets: 汇总 (each question's figures) and 答卷 (one row per response; free text included — this is the
    staff export, never public)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append([survey.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["答卷数", survey.responses.count()])
    ws.append([])
    ws.append(["题号", "题目", "题型", "选项", "人数", "比例(%)", "平均分"])
    for c in ws[4]:
        c.font = Font(bold=True)
    for row in question_results(survey):
        q = row["question"]
        if row["options"]:
            for label, count, percent in row["options"]:
                ws.append([q.order, q.text, q.get_kind_display(), label, count, percent, row["average"]])
        else:
            ws.append([q.order, q.text, q.get_kind_display(), "", row["answers"], "", None])
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["D"].width = 24
    sheet = wb.create_sheet("答卷")
    questions = list(survey.questions.all())
    sheet.append(["答卷编号", "提交时间", *[f"{q.order}. {q.text}" for q in questions]])
    answers = {}
    for a in SurveyAnswer.objects.filter(response__survey=survey).select_related("question"):
        answers[(a.response_id, a.question_id)] = a
    from django.utils import timezone

    for response in survey.responses.order_by("id"):
        cells = [response.pk, timezone.localtime(response.created_at).strftime("%Y-%m-%d %H:%M")]
        for q in questions:
            a = answers.get((response.pk, q.pk))
            if a is None:
                cells.append("")
            elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                cells.append("；".join(q.options[i] for i in a.choices if 0 <= i < len(q.options)))
            elif q.kind == QuestionKind.RATING:
                cells.append(a.rating)
            else:
                # a formula-looking answer is stored as text, never evaluated by the spreadsheet
                text = a.text
                cells.append("'" + text if text[:1] in ("=", "+", "-", "@") else text)
        sheet.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def survey_provider(policy, year: int):
    """`redemption.surveys` provider: surveys attached to `policy` (directly or through one of its consultations)
    that were open in `year`, summarised for the policy evaluation."""
    from django.db.models import Q

    from gongkai.redemption.surveys import OptionCount, QuestionSummary, SurveySummary

    surveys = (
        Survey.objects.exclude(status=SurveyStatus.DRAFT)
        .filter(Q(policy=policy) | Q(consultation__policy=policy))
        .filter(start_date__year__lte=year)
        .filter(Q(end_date__isnull=True) | Q(end_date__year__gte=year))
        .distinct()
    )
    summaries = []
    for survey in surveys:
        questions = []
        for row in question_results(survey):
            q = row["question"]
            if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                kind, options = (
                    "choice",
                    tuple(OptionCount(label, count) for label, count, _p in row["options"]),
                )
            elif q.kind == QuestionKind.RATING:
                kind, options = "scale", ()
            else:
                kind, options = "text", ()
            questions.append(
                QuestionSummary(
                    text=q.text, kind=kind, options=options, average=row["average"], answers=row["answers"]
                )
            )
        summaries.append(
            SurveySummary(
                title=survey.title,
                responses=survey.responses.count(),
                start=survey.start_date.isoformat() if survey.start_date else "",
                end=survey.end_date.isoformat() if survey.end_date else "",
                url=survey.get_absolute_url(),
                questions=tuple(questions),
            )
        )
    return summaries
