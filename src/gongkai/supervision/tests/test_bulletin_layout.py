"""The quarterly bulletin is an official document: rendered to PDF by LibreOffice and measured against GB/T 9704
(A4, the 156 × 225 mm text area, red 版头 and separator, fonts, page numbers, tables and chart inside the text
area). Uses the 2024 seed plan: 44 tasks over dozens of departments, so tables run over pages and the chart is
split."""

import datetime
import math

import pdfplumber
import pytest
from django.conf import settings

from gongkai.supervision import actions
from gongkai.supervision.bulletin import BulletinHead, quarter_figures, render_docx
from gongkai.supervision.bulletin_docx import CHART_ROWS_PER_PICTURE
from gongkai.supervision.reading import parse_workplan_file

from .libreoffice import docx_to_pdf, soffice

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, RIGHT = 28 * MM, (210 - 26) * MM
TOP, BOTTOM = 37 * MM, (297 - 35) * MM
SLACK = 1.5  # pt


@pytest.fixture
def seed_plan(departments, office):
    path = settings.SHARED_DIR / "seeds" / "xicheng-2024-workplan.txt"
    if not path.is_file():
        pytest.skip("seed work plans not available (set GONGKAI_SHARED_DIR)")
    text, parsed = parse_workplan_file(str(path))
    plan = actions.import_workplan(parsed, actor=office, source_name=path.name, source_text=text)
    for task, _problem in actions.plan_problems(plan):  # settle what the preview flags, as the office does
        actions.update_task(task, actor=office, responsible=[departments["区政府办公室"]])
    return actions.confirm_plan(plan, actor=office, today=datetime.date(2024, 1, 2))


def _is_red(colour) -> bool:
    return colour is not None and len(colour) == 3 and colour[0] > 0.9 and colour[1] < 0.1 and colour[2] < 0.1


def test_bulletin_pdf_is_laid_out_as_gbt9704(seed_plan, tmp_path):
    soffice()
    fig = quarter_figures(seed_plan, "2024Q3", today=datetime.date(2024, 10, 8))
    head = BulletinHead.for_figures(
        fig, doc_number="西政公办通〔2024〕3号", issued_on=datetime.date(2024, 10, 8)
    )
    pdf_path = docx_to_pdf(render_docx(fig, head), tmp_path)
    with pdfplumber.open(pdf_path) as pdf:
        pages = pdf.pages
        assert len(pages) >= 3
        images = 0
        for number, page in enumerate(pages, start=1):
            assert abs(page.width - PAGE_W) < 1 and abs(page.height - PAGE_H) < 1  # A4
            body = [c for c in page.chars if c["bottom"] <= BOTTOM + SLACK]
            footer = [c for c in page.chars if c["top"] > BOTTOM + SLACK]
            # every character of the text sits in the text area (the masthead may start 2 mm above it, §7.2.2)
            for c in body:
                assert LEFT - SLACK <= c["x0"] and c["x1"] <= RIGHT + SLACK, (
                    number,
                    c["text"],
                    c["x0"],
                    c["x1"],
                )
                assert c["top"] >= TOP - 3 * MM, (number, c["text"], c["top"])
            # page number “— N —” below the text area: odd pages on the right, even pages on the left
            text = "".join(c["text"] for c in sorted(footer, key=lambda c: c["x0"])).replace(" ", "")
            assert text == f"—{number}—", (number, text)
            centre = sum(c["x0"] for c in footer) / len(footer)
            assert (centre > PAGE_W / 2) == (number % 2 == 1)
            assert all(abs(c["size"] - 14) < 0.6 for c in footer if c["text"].isdigit())
            # tables, rules and the chart stay inside the text area
            for line in page.lines + page.rects:
                assert LEFT - SLACK <= line["x0"] and line["x1"] <= RIGHT + SLACK, (
                    number,
                    line["x0"],
                    line["x1"],
                )
            for im in page.images:
                images += 1
                assert LEFT - SLACK <= im["x0"] and im["x1"] <= RIGHT + SLACK
                assert TOP - SLACK <= im["top"] and im["bottom"] <= BOTTOM + SLACK
        assert images == math.ceil(len(fig.departments) / CHART_ROWS_PER_PICTURE) > 1

        first = pages[0]
        chars = sorted(first.chars, key=lambda c: (round(c["top"]), c["x0"]))
        lines: dict[int, list] = {}
        for c in chars:
            lines.setdefault(round(c["top"] / 4), []).append(c)
        rows = ["".join(c["text"] for c in row) for _k, row in sorted(lines.items())]
        masthead = [c for c in first.chars if c["text"] in settings.GONGKAI_SUPERVISION_BULLETIN_ISSUER]
        top_line = min(c["top"] for c in first.chars)
        masthead = [c for c in masthead if abs(c["top"] - top_line) < 3]
        assert "".join(c["text"] for c in masthead) == settings.GONGKAI_SUPERVISION_BULLETIN_ISSUER
        assert all(_is_red(c["non_stroking_color"]) for c in masthead) and masthead[0]["size"] > 20
        # the red separator: as wide as the text area, between the 文号 and the title
        red = [
            ln
            for ln in first.lines + first.rects
            if _is_red(ln.get("stroking_color")) or _is_red(ln.get("non_stroking_color"))
        ]
        assert red and abs((red[0]["x1"] - red[0]["x0"]) - (RIGHT - LEFT)) < 3
        number_row = next(r for r in rows if "〔2024〕3号" in r)
        assert rows.index(number_row) < next(i for i, r in enumerate(rows) if r.startswith("关于"))
        # title: 2号 小标宋 (Noto Serif CJK as the stand-in), centred; 主送 flush left ending with a colon
        title = [c for c in first.chars if abs(c["size"] - 22) < 0.6 and not _is_red(c["non_stroking_color"])]
        assert title and all("Serif" in c["fontname"] for c in title)
        left_gap = min(c["x0"] for c in title) - LEFT
        right_gap = RIGHT - max(c["x1"] for c in title)
        assert abs(left_gap - right_gap) < 20  # centred (the last line of a two-line title may be shorter)
        recipients = next(r for r in rows if r.endswith("："))
        assert recipients.startswith("区政府各委")
        # body in 仿宋 (AR PL UMing), headings 一、 in 黑体 (Noto Sans CJK / WenQuanYi Zen Hei), （一） in 楷体 (UKai)
        everything = [c for p in pages for c in p.chars]

        def font_of(word):
            text = "".join(c["text"] for c in everything)
            at = text.index(word)
            return everything[at]["fontname"]

        assert "UMing" in font_of("为推动")
        assert "Sans" in font_of("一、总体情况") or "ZenHei" in font_of("一、总体情况")
        assert "UKai" in font_of("（一）加快推进")
        body_sizes = {round(c["size"]) for c in everything if "UMing" in c["fontname"]}
        assert 16 in body_sizes  # 3号
        # 落款: the office, then the date two characters to its right, on the last page
        last = "".join(c["text"] for c in pages[-1].chars)
        assert "2024年10月8日" in last and "印发" in last


def test_public_pages_of_the_seed_plan_stay_small_and_use_the_plans_references(seed_plan, office, client):
    import re

    from django.urls import reverse

    actions.publish_plan(seed_plan, actor=office)
    url = reverse("supervision:plan_detail", args=[seed_plan.pk])
    for by in ("department", "section"):
        page_no, seen_rows, pages = 1, 0, 0
        while True:
            response = client.get(url, {"by": by, "page": page_no})
            html = response.content.decode()
            assert response.status_code == 200
            assert len(response.content) < 200_000, (by, page_no, len(response.content))
            seen_rows += len(re.findall(r'<th scope="row">', html))
            pages += 1
            if 'rel="next"' not in html:
                break
            page_no += 1
        pairs = sum(
            1
            for t in seed_plan.tasks.prefetch_related("assignments")
            for a in t.assignments.all()
            if a.role != "supporting"
        )
        assert seen_rows == (pairs if by == "department" else seed_plan.tasks.count())
        if by == "department":
            assert pages > 1
    first = client.get(url).content.decode()
    assert "一、（一）1." in first and ">1.1.1<" not in first
