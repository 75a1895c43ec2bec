"""The quarterly bulletin as an official document laid out after GB/T 9704-2012 (党政机关公文格式):

- A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, so the text area is 156 × 225 mm
  (§5.2.1–5.2.2); 22 lines a page (a line pitch of about 29 pt, §5.2.3);
- 版头: the issuing office's name in red 小标宋 centred, the 文号 (〔2024〕3号) below it, then a red separator line
  as wide as the text area (§7.2);
- the title in 2号 (22 pt) 小标宋, centred, two lines below the red line; 主送机关 one line below, flush left, ending
  with a full-width colon (§7.3.1–7.3.2);
- the body in 3号 (16 pt) 仿宋, first lines indented two characters; headings 一、 in 黑体 and （一） in 楷体 (§7.3.3);
- 落款: the issuing office, and the date in Arabic numerals below it two characters to its right (§7.3.5.2);
- page numbers in 4号 (14 pt) 宋体 as “— 1 —”, odd pages on the right, even pages on the left, each one character
  in from the edge of the text area (§7.5);
- 版记: the issuing office and the printing date between two rules (§7.4).

Fonts are named as Chinese offices have them (仿宋, 黑体, 楷体, 方正小标宋简体, 宋体). Where they are missing — on a
Debian server rendering the file to PDF — `deploy/fontconfig/64-gongkai-gbt9704.conf` maps them to the free
fonts Debian ships (AR PL UMing, AR PL UKai, Noto Sans/Serif CJK SC). Tables are fitted to the text area with
widths that suit their columns; the chart is drawn inside it (and split over several pictures when many
departments would make one picture taller than a page)."""

from __future__ import annotations

import dataclasses
import datetime
import io
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from .lights import light_text
from .models import Light
from .refs import chinese_number

if TYPE_CHECKING:  # pragma: no cover
    from .bulletin import QuarterFigures

FANGSONG = "仿宋"
HEITI = "黑体"
KAITI = "楷体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
LATIN = "Times New Roman"
RED = "FF0000"

PAGE_W, PAGE_H = 210.0, 297.0  # mm
TOP, BOTTOM, LEFT, RIGHT = 37.0, 35.0, 28.0, 26.0  # mm
TEXT_W = PAGE_W - LEFT - RIGHT  # 156 mm
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
TABLE_PT = 10.5  # 五号
PAGE_NO_PT = 14  # 4号
LINE_PITCH_PT = 29  # 22 lines on 225 mm
CHART_ROWS_PER_PICTURE = 24
CHART_WIDTH_MM = 150  # inside the 156 mm text area


@dataclasses.dataclass
class BulletinHead:
    issuer: str
    doc_number: str
    title: str
    recipients: str
    issued_on: datetime.date

    @classmethod
    def for_figures(
        cls, fig: QuarterFigures, *, doc_number: str | None = None, issued_on=None
    ) -> BulletinHead:
        issuer = settings.GONGKAI_SUPERVISION_BULLETIN_ISSUER
        pattern = settings.GONGKAI_SUPERVISION_BULLETIN_NUMBER
        number = (doc_number or "").strip() or pattern.format(
            year=fig.year, quarter=fig.quarter_number, plan=fig.plan.pk
        )
        return cls(
            issuer=issuer,
            doc_number=number[:80],
            title=f"关于《{fig.plan.title}》{fig.year}年第{chinese_number(fig.quarter_number)}季度落实情况的通报",
            recipients=settings.GONGKAI_SUPERVISION_BULLETIN_RECIPIENTS,
            issued_on=issued_on or timezone.localdate(),
        )


def chinese_date(day: datetime.date) -> str:
    """成文日期 in Arabic numerals, no leading zeros (GB/T 9704-2012 §7.3.5.1): 2024年10月8日."""
    return f"{day.year}年{day.month}月{day.day}日"


# --- low-level helpers ----------------------------------------------------------------------------------------


def _set_fonts(
    rpr_owner,
    east_asia: str,
    *,
    size: float | None = None,
    bold=None,
    color: str | None = None,
    latin: str | None = None,
):
    """Sets the font of a run or a style in every slot (python-docx only sets the Latin one): digits and Latin
    letters in a Chinese official document are set in the same face as the Chinese text, except page numbers."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    latin = latin or east_asia
    font = rpr_owner.font
    font.name = latin
    rpr = rpr_owner.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = RGBColor.from_string(color)


def _paragraph(
    doc_or_cell,
    text: str = "",
    *,
    font: str = FANGSONG,
    size: float = BODY_PT,
    align=None,
    indent_chars: float = 0,
    left_chars: float = 0,
    right_chars: float = 0,
    space_before: float = 0,
    space_after: float = 0,
    pitch: float | None = LINE_PITCH_PT,
    color: str | None = None,
    bold=None,
    keep_with_next: bool = False,
):
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    p = doc_or_cell.add_paragraph()
    fmt = p.paragraph_format
    if pitch:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(pitch)
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(space_after)
    fmt.first_line_indent = Pt(size * indent_chars) if indent_chars else None
    fmt.left_indent = Pt(BODY_PT * left_chars) if left_chars else None
    fmt.right_indent = Pt(BODY_PT * right_chars) if right_chars else None
    fmt.widow_control = True
    fmt.keep_with_next = keep_with_next
    if align is not None:
        p.alignment = align
    if text:
        _set_fonts(p.add_run(text), font, size=size, color=color, bold=bold)
    return p


def _border(paragraph, side: str, *, color: str, size_eighths: int, space_pt: int = 0):
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = ppr.makeelement(qn("w:pBdr"), {})
        ppr.append(borders)
    edge = borders.makeelement(
        qn(f"w:{side}"),
        {
            qn("w:val"): "single",
            qn("w:sz"): str(size_eighths),
            qn("w:space"): str(space_pt),
            qn("w:color"): color,
        },
    )
    borders.append(edge)


def _page_number_field(paragraph, size: float):
    """“— N —” with a PAGE field, 4号 宋体."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run(text=None):
        r = paragraph.add_run(text or "")
        _set_fonts(r, SONGTI, size=size, latin=SONGTI)
        return r

    run("— ")
    begin = run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "begin")
    begin._r.append(fld)
    instr = run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE "
    instr._r.append(text)
    sep = run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "separate")
    sep._r.append(fld)
    run("1")
    end = run()
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "end")
    end._r.append(fld)
    run(" —")


def _table(doc, headers: list[str], rows: list[list], widths_mm: list[float], *, bold_last: bool = False):
    """A table as wide as the text area, fixed layout, with the given column widths (they add up to 156 mm)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm

    assert abs(sum(widths_mm) - TEXT_W) < 0.5, widths_mm
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.makeelement(qn("w:tblLayout"), {qn("w:type"): "fixed"})
    tbl_pr.append(layout)
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = tbl_pr.makeelement(qn("w:tblW"), {})
        tbl_pr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(TEXT_W / 25.4 * 1440)))
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(round(w / 25.4 * 1440)))

    def fill(cells, values, *, header=False, bold=False):
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.width = Mm(widths_mm[i])
            p = cell.paragraphs[0]
            p.paragraph_format.space_before = 0
            p.paragraph_format.space_after = 0
            numeric = isinstance(value, (int, float)) or (i > 0 and str(value).replace(".", "").isdigit())
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if header or numeric else WD_ALIGN_PARAGRAPH.LEFT
            _set_fonts(p.add_run(str(value)), HEITI if header or bold else FANGSONG, size=TABLE_PT)

    fill(table.rows[0].cells, headers, header=True)
    for i, values in enumerate(rows):
        fill(table.add_row().cells, values, bold=bold_last and i == len(rows) - 1)
    # repeat the header row on every page
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
    return table


# --- the chart ----------------------------------------------------------------------------------------------------


def _font(size: int):
    from PIL import ImageFont

    for path in (
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    ):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


CHART_COLOURS = [
    ("按时完成", "#2e7d32"),
    ("逾期完成", "#9e9d24"),
    ("逾期", "#c62828"),
    ("推进中/未开始", "#90a4ae"),
]


def render_chart_png(fig: QuarterFigures, rows=None, *, title: str = "各部门任务完成情况") -> bytes:
    """A horizontal stacked bar per department (on time, late, overdue, the rest), drawn with Pillow at 200 dpi for
    a picture 156 mm wide. The numbers are written beside each bar, so nothing depends on colour alone."""
    from PIL import Image, ImageDraw

    rows = rows if rows is not None else (fig.departments or [])
    if not rows:
        from .bulletin import DepartmentRow

        rows = [DepartmentRow("—")]
    scale_px = 2  # drawn at twice the size, for print
    bar_h, gap, left, right, top = 18 * scale_px, 8 * scale_px, 200 * scale_px, 60 * scale_px, 50 * scale_px
    width = 1181  # 150 mm at 200 dpi
    height = top + len(rows) * (bar_h + gap) + 40 * scale_px
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    title_font, font = _font(18 * scale_px), _font(13 * scale_px)
    draw.text((left, 12 * scale_px), title, fill="black", font=title_font)
    max_tasks = max((r.tasks for r in fig.departments), default=1) or 1
    unit = (width - left - right) / max_tasks
    for i, r in enumerate(rows):
        y = top + i * (bar_h + gap)
        draw.text((8, y + 2), r.department[:14], fill="black", font=font)
        parts = [r.on_time, r.done - r.on_time, r.overdue, r.tasks - r.done - r.overdue]
        x = left
        for value, (_label, colour) in zip(parts, CHART_COLOURS, strict=True):
            w = value * unit
            if w > 0:
                draw.rectangle([x, y, x + w, y + bar_h], fill=colour)
            x += w
        draw.text((x + 6, y + 2), f"{r.done}/{r.tasks}", fill="black", font=font)
    lx = 8
    for label, colour in CHART_COLOURS:
        draw.rectangle([lx, height - 30 * scale_px, lx + 14 * scale_px, height - 16 * scale_px], fill=colour)
        draw.text((lx + 18 * scale_px, height - 32 * scale_px), label, fill="black", font=font)
        lx += 18 * scale_px + int(draw.textlength(label, font=font)) + 24 * scale_px
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(200, 200))
    return buf.getvalue()


# --- the document -------------------------------------------------------------------------------------------------


def _setup(doc):
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
    section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(21)
    normal = doc.styles["Normal"]
    _set_fonts(normal, FANGSONG, size=BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    doc.settings.odd_and_even_pages_header_footer = True
    return section


def _footers(section):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(PAGE_NO_PT)
        else:
            p.paragraph_format.left_indent = Pt(PAGE_NO_PT)
        _page_number_field(p, PAGE_NO_PT)


def _heading1(doc, text):
    return _paragraph(doc, text, font=HEITI, indent_chars=2, keep_with_next=True)


def _heading2(doc, text):
    return _paragraph(doc, text, font=KAITI, indent_chars=2, keep_with_next=True)


def _body(doc, text):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return _paragraph(doc, text, indent_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)


def _width_chars(text: str) -> float:
    """Width in full-width characters (digits and Latin letters are half as wide)."""
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


def render_docx(fig: QuarterFigures, head: BulletinHead | None = None) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    head = head or BulletinHead.for_figures(fig)
    doc = Document()
    doc.core_properties.title = head.title
    doc.core_properties.author = head.issuer
    section = _setup(doc)
    _footers(section)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    # 版头: issuing office in red, 文号, red separator line the width of the text area
    masthead_pt = max(18, min(36, int(TEXT_W / 25.4 * 72 / max(len(head.issuer), 1)) - 1))
    first = doc.paragraphs[0] if doc.paragraphs else None
    if first is not None:
        first._p.getparent().remove(first._p)
    _paragraph(doc, head.issuer, font=XIAOBIAOSONG, size=masthead_pt, align=centre, color=RED, pitch=None)
    _paragraph(doc, "", pitch=LINE_PITCH_PT)
    number = _paragraph(doc, head.doc_number, align=centre, space_after=0)
    _border(number, "bottom", color=RED, size_eighths=18, space_pt=11)
    # title two lines below the red line; 主送 one line below the title
    _paragraph(
        doc,
        head.title,
        font=XIAOBIAOSONG,
        size=TITLE_PT,
        align=centre,
        space_before=2 * LINE_PITCH_PT,
        pitch=LINE_PITCH_PT + 6,
    )
    _paragraph(doc, f"{head.recipients}：", space_before=LINE_PITCH_PT)
    as_of = chinese_date(fig.as_of)
    quarter = f"{fig.year}年第{chinese_number(fig.quarter_number)}季度"
    _body(
        doc,
        f"为推动《{fig.plan.title}》各项任务落到实处，按照“月度提醒、季度通报、年度考核”的工作要求，"
        f"现将{quarter}落实情况通报如下。",
    )
    _heading1(doc, "一、总体情况")
    lights = fig.lights or {}
    _body(
        doc,
        f"截至{as_of}，计划共有任务{fig.total}项（其中多个部门共同承担的{fig.shared}项），已完成{fig.done}项"
        f"（其中按时完成{fig.on_time}项），逾期未完成{fig.overdue}项，推进中{fig.in_progress}项，"
        f"长期推进{fig.ongoing}项，尚未开始{fig.not_started}项；完成率{fig.completion_rate}%，"
        f"按任务权重计{fig.weighted_rate}%。"
        f"亮红灯（逾期）{lights.get(Light.RED, 0)}项、黄灯（临近到期或进展被退回）{lights.get(Light.YELLOW, 0)}项、"
        f"绿灯{lights.get(Light.GREEN, 0)}项。",
    )
    _heading1(doc, "二、各部门落实情况")
    _body(doc, f"各部门承担任务的落实情况见下表。{SHARED_NOTE_TEXT}")
    rows = [
        [
            r.department,
            r.tasks,
            r.done,
            r.on_time,
            r.overdue,
            r.in_progress,
            f"{r.completion_rate}",
            r.light_label,
        ]
        for r in fig.departments
    ]
    rows.append(
        [
            "全区合计（按任务计）",
            fig.total,
            fig.done,
            fig.on_time,
            fig.overdue,
            fig.in_progress + fig.ongoing,
            f"{fig.completion_rate}",
            "",
        ]
    )
    _table(
        doc,
        ["部门", "任务数", "已完成", "按时完成", "逾期", "推进中", "完成率(%)", "警示灯"],
        rows,
        [44, 15, 15, 19, 12, 15, 21, 15],
        bold_last=True,
    )
    departments = fig.departments or []
    chunks = [
        departments[i : i + CHART_ROWS_PER_PICTURE]
        for i in range(0, max(len(departments), 1), CHART_ROWS_PER_PICTURE)
    ]
    for n, chunk in enumerate(chunks, start=1):
        title = "各部门任务完成情况" + (f"（{n}/{len(chunks)}）" if len(chunks) > 1 else "")
        picture = _paragraph(doc, "", align=centre, pitch=None, space_before=6)
        picture.paragraph_format.first_line_indent = Mm(0)
        picture.add_run().add_picture(
            io.BytesIO(render_chart_png(fig, chunk, title=title)), width=Mm(CHART_WIDTH_MM)
        )
    _heading1(doc, "三、逾期任务")
    if fig.overdue_list:
        _body(doc, f"截至{as_of}，以下{len(fig.overdue_list)}项任务逾期未完成，请相关部门抓紧办理。")
        _table(
            doc,
            ["编号", "任务", "逾期部门", "截止日期", "逾期工作日"],
            [
                [r.ref, r.text[:120], "、".join(r.departments), r.due.isoformat(), r.overdue_label]
                for r in fig.overdue_list
            ],
            [20, 58, 30, 24, 24],
        )
    else:
        _body(doc, "本季度无逾期任务。")
    _heading1(doc, "四、下一步工作要求")
    _heading2(doc, "（一）加快推进逾期和临近到期任务。")
    _body(
        doc,
        "亮红灯、黄灯的任务，责任部门要明确办理时限，确有困难需要延期的，应当在平台提出延期申请并说明理由。",
    )
    _heading2(doc, "（二）按时报送进展和佐证材料。")
    _body(
        doc,
        "各部门要在平台如实报送工作进展，申报完成的须附佐证材料，优先提供平台已发布的政策文件或本站链接。",
    )
    # 落款: one blank line; the office two characters in from the right; the date two characters to its right
    date_text = chinese_date(head.issued_on)
    width = TEXT_W / 25.4 * 72 / BODY_PT  # characters per line
    signature_start = max(0.0, width - 2 - _width_chars(head.issuer))
    date_start = signature_start + 2
    if date_start + _width_chars(date_text) > width - 2:
        date_start = width - 2 - _width_chars(date_text)
        signature_start = date_start - 2
    _paragraph(doc, "")
    _paragraph(doc, head.issuer, left_chars=signature_start, keep_with_next=True)
    _paragraph(doc, date_text, left_chars=date_start)
    # 版记: the printing office and date between two rules
    _paragraph(doc, "")
    note = _paragraph(doc, "", left_chars=1, right_chars=1, size=14)
    _set_fonts(note.add_run(head.issuer), FANGSONG, size=14)
    _set_fonts(note.add_run("\t" + f"{date_text}印发"), FANGSONG, size=14)
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Pt

    # tab positions count from the text area's left edge; stop just inside the right indent
    note.paragraph_format.tab_stops.add_tab_stop(Pt(TEXT_W / 25.4 * 72 - BODY_PT - 2), WD_TAB_ALIGNMENT.RIGHT)
    _border(note, "top", color="000000", size_eighths=8, space_pt=4)
    _border(note, "bottom", color="000000", size_eighths=8, space_pt=4)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


SHARED_NOTE_TEXT = (
    "一项任务由多个部门共同承担的，在各部门分别计数，故各部门任务数之和大于全区任务总数；合计行按任务计。"
)


def light_summary(lights: dict) -> str:
    return "、".join(f"{light_text(v)}{lights.get(v, 0)}项" for v in (Light.RED, Light.YELLOW, Light.GREEN))
