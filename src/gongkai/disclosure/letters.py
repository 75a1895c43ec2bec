"""Reply letters (答复告知书): the text from the outcome's template, then .docx and a sealed PDF."""

from __future__ import annotations

import dataclasses
import datetime
import io

from django.utils import timezone

from .outcomes import DEFAULT_REVIEW_BODY, rule_for


def _fmt(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def draft_body(request, outcome: str, *, reason: str = "", links=(), review_body: str = "") -> str:
    """The letter body (without salutation and signature) for an outcome, from the templates as the openness
    office edited them (`notices.TEMPLATES`: reply.intro, reply.<outcome>, reply.appeal), ready to edit."""
    from . import notices

    rule = rule_for(outcome)
    ctx = {
        **notices.base_context(request),
        "reason": reason.strip(),
        "links": list(links),
        "correction_date": _fmt(request.correction_notice_on),
        "review_body": review_body or DEFAULT_REVIEW_BODY,
    }
    intro = notices.render("reply.intro", ctx)
    decision = notices.render(f"reply.{rule_key(outcome)}", ctx)
    appeal = notices.render("reply.appeal", ctx)
    return "\n".join(part for part in [intro, decision, f"依据：{rule.ground}。", appeal] if part)


def rule_key(outcome) -> str:
    from .outcomes import Outcome

    return Outcome(outcome).value


def salutation(request) -> str:
    return f"{request.applicant_name}："


@dataclasses.dataclass
class LetterSpec:
    """What a letter of the procedure shows: the sender, the title, its number, the addressee, the paragraphs,
    the date; optionally an appendix on a page of its own (e.g. the consultation's 回执)."""

    department: str
    title: str
    number: str
    salutation: str
    paragraphs: list[str]
    date: datetime.date
    appendix_title: str = ""
    appendix: list[str] = dataclasses.field(default_factory=list)

    @property
    def full_title(self) -> str:
        return f"{self.title} {self.number}".strip()


def reply_spec(reply) -> LetterSpec:
    req = reply.request
    return LetterSpec(
        department=req.department.name,
        title="政府信息公开申请答复告知书",
        number=reply.reply_number or "（草稿）",
        salutation=salutation(req),
        paragraphs=[line.strip() for line in reply.body.splitlines() if line.strip()],
        date=reply.sent_on or timezone.localdate(),
        appendix_title="附件清单" if reply.pk and reply.documents.exists() else "",
        appendix=[
            f"{i}. {doc.title}" + ("（脱敏件）" if doc.redacted_file else "")
            for i, doc in enumerate(reply.documents.all(), start=1)
        ]
        if reply.pk
        else [],
    )


def render_docx(reply) -> bytes:
    return render_letter_docx(reply_spec(reply))


def render_pdf(reply, seal_png: bytes | None) -> bytes:
    return render_letter_pdf(reply_spec(reply), seal_png)


def render_letter_docx(spec: LetterSpec) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "FangSong"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{spec.department}\n{spec.title}")
    run.bold = True
    run.font.size = Pt(20)
    number = doc.add_paragraph(spec.number)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(spec.salutation)
    for line in spec.paragraphs:
        doc.add_paragraph(line).paragraph_format.first_line_indent = Pt(28)
    for text in (spec.department, _fmt(spec.date)):
        p = doc.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if spec.appendix_title:
        doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        head = doc.add_paragraph()
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = head.add_run(spec.appendix_title)
        r.bold = True
        r.font.size = Pt(16)
        for line in spec.appendix:
            doc.add_paragraph(line)
    doc.core_properties.title = spec.full_title
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_letter_pdf(spec: LetterSpec, seal_png: bytes | None) -> bytes:
    """The letter as PDF with the CJK font embedded and the seal image over the signature block."""
    from xml.sax.saxutils import escape

    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer

    from .fonts import register_cjk_font

    font = register_cjk_font()
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
        title=spec.full_title,
        author=spec.department,
    )
    story = [
        Paragraph(escape(spec.department), title),
        Paragraph(escape(spec.title), title),
        Paragraph(escape(spec.number), center),
        Spacer(1, 8 * mm),
        Paragraph(escape(spec.salutation), plain),
    ]
    for line in spec.paragraphs:
        story.append(Paragraph(escape(line), base))
    story.append(SignatureBlock(spec.department, _fmt(spec.date), seal_png))
    if spec.appendix_title:
        story += [PageBreak(), Paragraph(escape(spec.appendix_title), title), Spacer(1, 6 * mm)]
        for line in spec.appendix:
            story.append(Paragraph(escape(line) or "&nbsp;", plain))
    doc.build(story)
    return out.getvalue()
