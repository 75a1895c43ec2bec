"""Reply letters (答复告知书): the text from the outcome's template, then .docx and a sealed PDF."""

from __future__ import annotations

import io

from django.template import Context, Template
from django.utils import timezone

from .outcomes import APPEAL_CLAUSE, DEFAULT_REVIEW_BODY, rule_for


def _fmt(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def draft_body(request, outcome: str, *, reason: str = "", links=(), review_body: str = "") -> str:
    """The letter body (without salutation and signature) for an outcome, ready for the officer to edit."""
    rule = rule_for(outcome)
    ctx = Context(
        {
            "reason": reason.strip(),
            "links": list(links),
            "correction_date": _fmt(request.correction_notice_on),
        },
        autoescape=False,
    )
    decision = Template(rule.paragraph).render(ctx).strip()
    received = _fmt(request.corrected_received_on or request.received_date)
    intro = (
        f"本机关于{received}收到您提出的政府信息公开申请（申请编号：{request.tracking_number}），"
        f"您申请获取“{request.information_title}”。经审查，现答复如下："
    )
    appeal = Template(APPEAL_CLAUSE).render(Context({"review_body": review_body or DEFAULT_REVIEW_BODY}))
    return "\n".join([intro, decision, f"依据：{rule.ground}。", appeal])


def salutation(request) -> str:
    return f"{request.applicant_name}："


def render_docx(reply) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    req = reply.request
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "FangSong"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{req.department.name}\n政府信息公开申请答复告知书")
    run.bold = True
    run.font.size = Pt(20)
    number = doc.add_paragraph(reply.reply_number or "（草稿）")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(salutation(req))
    for line in reply.body.splitlines():
        if line.strip():
            doc.add_paragraph(line.strip()).paragraph_format.first_line_indent = Pt(28)
    for text in (req.department.name, _fmt(reply.sent_on or timezone.localdate())):
        p = doc.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.core_properties.title = f"政府信息公开申请答复告知书 {reply.reply_number or ''}".strip()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_pdf(reply, seal_png: bytes | None) -> bytes:
    """The letter as PDF with the CJK font embedded and the seal image over the signature block."""
    from xml.sax.saxutils import escape

    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

    from .fonts import register_cjk_font

    font = register_cjk_font()
    req = reply.request
    base = ParagraphStyle("body", fontName=font, fontSize=14, leading=26, wordWrap="CJK", firstLineIndent=28)
    title = ParagraphStyle(
        "title", parent=base, fontSize=20, leading=30, alignment=TA_CENTER, firstLineIndent=0
    )
    center = ParagraphStyle("center", parent=base, alignment=TA_CENTER, firstLineIndent=0)
    plain = ParagraphStyle("plain", parent=base, firstLineIndent=0)

    class SignatureBlock(Flowable):
        def __init__(self, department, date_text, png):
            super().__init__()
            self.department, self.date_text, self.png = department, date_text, png
            self.height = 50 * mm

        def wrap(self, avail_width, avail_height):
            self.width = avail_width
            return avail_width, self.height

        def draw(self):
            c = self.canv
            c.setFont(font, 14)
            right = self.width
            c.drawRightString(right, self.height - 20 * mm, self.department)
            c.drawRightString(right, self.height - 30 * mm, self.date_text)
            if self.png:
                size = 42 * mm
                c.drawImage(
                    ImageReader(io.BytesIO(self.png)),
                    right - size - 5 * mm,
                    self.height - 46 * mm,
                    size,
                    size,
                    mask="auto",
                )

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=37 * mm,
        bottomMargin=35 * mm,
        title=f"政府信息公开申请答复告知书 {reply.reply_number or ''}".strip(),
        author=req.department.name,
    )
    story = [
        Paragraph(escape(req.department.name), title),
        Paragraph("政府信息公开申请答复告知书", title),
        Paragraph(escape(reply.reply_number or "（草稿）"), center),
        Spacer(1, 8 * mm),
        Paragraph(escape(salutation(req)), plain),
    ]
    for line in reply.body.splitlines():
        if line.strip():
            story.append(Paragraph(escape(line.strip()), base))
    story.append(SignatureBlock(req.department.name, _fmt(reply.sent_on or timezone.localdate()), seal_png))
    doc.build(story)
    return out.getvalue()
