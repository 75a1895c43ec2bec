"""Builders for document fixtures: .docx with python-docx, PDFs with reportlab (CJK CID font STSong-Light for a
text layer), an image-only PDF ("scanned") and a password-protected PDF (pypdf)."""

import io
import os
from pathlib import Path

import pytest

SEEDS = Path(os.environ.get("GONGKAI_SHARED_DIR", "/work/shared")) / "seeds"


def seed_text(year: int) -> str:
    path = SEEDS / f"xicheng-{year}-workplan.txt"
    if not path.exists():
        pytest.skip(f"seed file {path} not available")
    return path.read_text(encoding="utf-8")


def docx_bytes(paragraphs, *, table=None, numbered=None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if numbered:
        for text in numbered:
            document.add_paragraph(text, style="List Number")
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(lines, *, lines_per_page=40) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for start in range(0, max(len(lines), 1), lines_per_page):
        pdf.setFont("STSong-Light", 11)
        y = 800
        for line in lines[start : start + lines_per_page]:
            pdf.drawString(40, y, line)
            y -= 18
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def scanned_pdf_bytes() -> bytes:
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (300, 120), "white")
    png = io.BytesIO()
    image.save(png, "PNG")
    png.seek(0)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawImage(ImageReader(png), 50, 500, 300, 120)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypted_pdf_bytes(lines) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_bytes(lines))))
    writer.encrypt("secret-password")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


SAMPLE_DOCUMENT = """[索引号] 000014348/2024-00012 [主题分类] 综合政务/其他
[发文机构] 北京市西城区人民政府办公室 [联合发文单位] 区财政局
[成文日期] 2024年03月01日 [发文字号] 京西政办发[2024]第03号
[发布日期] 2024-03-05 [有效性] 有效
000123
秘密★1年
特急
北京市西城区人民政府办公室文件
京西政办发〔2024〕3号        签发人：张三  李四
北京市西城区人民政府办公室
关于印发《西城区促进中小企业发展
若干措施》的通知
各街道办事处，区政府各委、办、局，各区属机构：
现将《西城区促进中小企业发展若干措施》印发给你们，请认真贯彻执行。
一、总体要求
（一）指导思想
坚持稳中求进。
1.加强领导。各部门要高度重视。
（1）明确分工。
二、保障措施
第一条 为了促进发展，制定本措施。
附件：1.西城区中小企业名录
2.申报表
北京市西城区人民政府办公室
二〇二四年三月一日
（此件公开发布）
抄送：区委办公室，区人大常委会办公室、区政协办公室。
北京市西城区人民政府办公室 2024年3月1日印发"""


@pytest.fixture
def sample_document():
    return SAMPLE_DOCUMENT
