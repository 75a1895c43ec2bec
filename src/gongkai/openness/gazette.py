"""The 政府公报: the citation of an issue and its PDF. The rules of numbering live here:

- an issue's number is the next free number of its year, given when the issue is published (never while it is
  a draft, so abandoned drafts leave no gaps) and never changed afterwards — `YYYY年第N期` is a stable citation;
- items are numbered 1, 2, 3 … in the order the office put them; each item's page is the page of the PDF on
  which it starts, computed when the issue is published from the text copied then (so it does not move when a
  policy is edited later).

The PDF is made with reportlab and the CJK font the disclosure replies embed (`disclosure/fonts.py`).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from gongkai.core.seed_departments import DISTRICT_GOVERNMENT

GAZETTE_TITLE = f"{DISTRICT_GOVERNMENT}公报"


def citation(issue) -> str:
    if issue.number:
        return f"{issue.year}年第{issue.number}期"
    return f"{issue.year}年（待编号草稿）"


def item_citation(item) -> str:
    page = f"第{item.page}页" if item.page else ""
    return f"{GAZETTE_TITLE}{citation(item.issue)}第{item.position}项{page}"


def render_pdf(issue, items, *, pages: dict[int, int] | None = None) -> tuple[bytes, dict[int, int], int]:
    """The issue as PDF; returns (pdf, {position: first page}, page count). `pages` fills the table of contents
    (a first pass without them gives the same layout: the page column has a fixed width)."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from gongkai.disclosure.fonts import register_cjk_font

    font = register_cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=21, wordWrap="CJK", firstLineIndent=24)
    title = ParagraphStyle(
        "title", parent=body, fontSize=18, leading=28, alignment=TA_CENTER, firstLineIndent=0
    )
    masthead = ParagraphStyle("mast", parent=title, fontSize=28, leading=40)
    center = ParagraphStyle("center", parent=body, alignment=TA_CENTER, firstLineIndent=0)
    cell = ParagraphStyle("cell", parent=body, firstLineIndent=0, fontSize=11, leading=18)
    cite = citation(issue)
    found: dict[int, int] = {}

    class Doc(SimpleDocTemplate):
        def afterFlowable(self, flowable):
            position = getattr(flowable, "gazette_position", None)
            if position is not None and position not in found:
                found[position] = self.page

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 15 * mm, f"{GAZETTE_TITLE} {cite} · 第{doc.page}页")
        canvas.restoreState()

    out = io.BytesIO()
    doc = Doc(
        out, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm, bottomMargin=25 * mm,
        title=f"{GAZETTE_TITLE} {cite}", author=DISTRICT_GOVERNMENT,
    )  # fmt: skip
    date = (
        issue.published_on.strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月")
        if issue.published_on
        else ""
    )
    story = [
        Spacer(1, 30 * mm),
        Paragraph(escape(GAZETTE_TITLE), masthead),
        Spacer(1, 8 * mm),
        Paragraph(escape(cite), title),
        Paragraph(escape(date), center),
        Spacer(1, 12 * mm),
        Paragraph("目　录", title),
    ]
    rows = [
        [Paragraph(str(item.position), cell), Paragraph(escape(item.title), cell),
         Paragraph(str((pages or {}).get(item.position, "")), cell)]
        for item in items
    ]  # fmt: skip
    if rows:
        table = Table(rows, colWidths=[12 * mm, 128 * mm, 16 * mm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
    for item in items:
        story.append(PageBreak())
        heading = Paragraph(escape(f"{item.position}. {item.title}"), title)
        heading.gazette_position = item.position
        story.append(heading)
        meta = "　".join(v for v in (item.issuer, item.doc_number) if v)
        if meta:
            story.append(Paragraph(escape(meta), center))
        story.append(Spacer(1, 4 * mm))
        for line in (item.body or "").splitlines():
            if line.strip():
                story.append(Paragraph(escape(line.strip()), body))
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue(), found, doc.page


def lay_out(issue, items) -> tuple[bytes, dict[int, int], int]:
    """The final PDF, the first page of each item and the number of pages: a first rendering finds the pages,
    a second prints them in the table of contents (same layout: the page column has a fixed width)."""
    _draft, pages, _count = render_pdf(issue, items)
    pdf, pages_again, count = render_pdf(issue, items, pages=pages)
    assert pages_again == pages, "the contents changed the layout"
    return pdf, pages, count


def issue_pdf(issue) -> bytes:
    """The stored PDF of a published issue (rendered again from the stored text if the file is missing)."""
    if issue.pdf:
        try:
            with issue.pdf.open("rb") as fh:
                return fh.read()
        except OSError:
            pass
    items = list(issue.items.all())
    pdf, _pages, _count = render_pdf(issue, items, pages={i.position: i.page for i in items if i.page})
    return pdf
