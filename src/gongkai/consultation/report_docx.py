"""The 意见采纳情况 report as a Word (.docx) file, for officials who file it or send it on with the final policy.

The file carries what the screen and the public page show, from the same stored report (never recomputed): the
title, the consultation's period, the 总体情况, the counts by disposition, the main points with their answers, and
the article-by-article changes between the draft and the final text. Written with python-docx (already a runtime
dependency for the disclosure letters and the supervision bulletin); body 仿宋 3号, headings 黑体, tables 五号, A4 with
the GB/T 9704-2012 margins, like the other documents the platform writes. Chinese only: it is the department's
document, whatever the language of the page it was downloaded from.
"""

from __future__ import annotations

import io

from django.utils import timezone

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FANGSONG = "仿宋"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
DISPOSITION_COLUMNS = (
    ("adopted", "采纳"),
    ("partly", "部分采纳"),
    ("not_adopted", "未采纳"),
    ("out_of_scope", "不属于本次征求范围"),
)
CHANGE_LABELS = {"added": "新增", "deleted": "删除", "changed": "修改", "moved": "调整顺序"}


def _fonts(run, east_asia: str, size_pt: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size_pt)
    run.font.bold = bold
    run.font.name = "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)


def _para(doc, text: str, *, font=FANGSONG, size=16, bold=False, center=False, indent=True):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    _fonts(p.add_run(text), font, size, bold)
    return p


def _table(doc, header: list[str], rows: list[list[str]], widths_mm: list[float] | None = None):
    from docx.shared import Mm

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = widths_mm is None
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _fonts(cell.paragraphs[0].add_run(text), HEITI, 10.5, True)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = ""
            _fonts(cell.paragraphs[0].add_run(str(text)), FANGSONG, 10.5)
    if widths_mm:  # Word takes the cells' widths, LibreOffice the columns': set both
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)
            for cell in column.cells:
                cell.width = Mm(width)
    return table


def _day(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


def render_report_docx(report) -> bytes:
    """The report as .docx bytes."""
    from docx import Document
    from docx.shared import Mm

    c = report.consultation
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    doc.core_properties.title = f"{c.title} 意见采纳情况"
    doc.core_properties.author = c.department.display_name if c.department_id else ""

    subject = c.policy.title if c.policy_id else c.title
    _para(doc, f"关于《{subject}》公开征求意见采纳情况的说明", font=XIAOBIAOSONG, size=22, center=True)
    # 总体情况: the department's text (by default the generated one: period, number and counts); a short factual
    # line stands in when it was left empty.
    lines = [line.strip() for line in (report.summary or "").splitlines() if line.strip()]
    if not lines:
        period = f"{_day(c.start_date)}至{_day(c.closes_on)}"
        lines = [
            f"{c.department.display_name}于{period}就《{subject}》公开征求意见，共收到有效意见{report.total}条。"
        ]
    for line in lines:
        _para(doc, line)

    _para(doc, "一、采纳情况统计", font=HEITI, indent=True)
    counts = report.counts or {}
    _table(
        doc,
        [label for _key, label in DISPOSITION_COLUMNS] + ["合计"],
        [[str(counts.get(key, 0)) for key, _label in DISPOSITION_COLUMNS] + [str(report.total)]],
    )

    _para(doc, "二、主要意见及答复", font=HEITI, indent=True)
    points = report.labelled_points()
    if points:
        _table(
            doc,
            ["序号", "意见要点", "涉及条款", "条数", "采纳情况及理由"],
            [
                [
                    str(i),
                    p.get("point", ""),
                    "、".join(p.get("articles") or []) or "整体",
                    str(p.get("comments", "")),
                    str(p["label"]) + (f"：{p['reason']}" if p.get("reason") else ""),
                ]
                for i, p in enumerate(points, 1)
            ],
            widths_mm=[12, 58, 22, 12, 52],  # the 156 mm text area
        )
    else:
        _para(doc, "未收到有效意见。")

    _para(doc, "三、征求意见稿与定稿逐条对照", font=HEITI, indent=True)
    changes = report.changes or {}
    if changes.get("identical") or not changes.get("articles"):
        _para(doc, "定稿与征求意见稿相比，条文内容没有变化。")
    else:
        summary = changes.get("summary") or {}
        _para(
            doc,
            f"与征求意见稿相比，定稿新增{summary.get('added', 0)}处、删除{summary.get('deleted', 0)}处、"
            f"修改{summary.get('changed', 0)}处。",
        )
        _table(
            doc,
            ["变化", "征求意见稿", "定稿"],
            [
                [
                    CHANGE_LABELS.get(a.get("status"), a.get("status", "")),
                    a.get("old_text", ""),
                    a.get("new_text", ""),
                ]
                for a in changes["articles"]
            ],
            widths_mm=[16, 70, 70],
        )

    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc.add_paragraph()
    for text in (
        c.department.name or c.department.display_name,
        _day(report.approved_at or report.generated_at),
    ):
        p = _para(doc, text, indent=False)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def filename(report) -> str:
    return f"consultation-{report.consultation_id}-report.docx"
