"""parse-document on whole government web pages, as the sites serve them (fixtures in `fixtures/full_pages/`,
hand-written in the shapes of those sites, no page copied): <head> with scripts and styles, navigation, breadcrumb,
the metadata block, a byline with 字号 大 中 小 / 打印, the article, an attachments list, related links, share and
print/close bars, 上一篇/下一篇, and the footer with 主办单位, 网站标识码, ICP and 公安 numbers.

- `gov_cn_opinion.html`: a State Council page of gov.cn — metadata table (spaced labels, label and value in separate
  cells), the title <h1>, the byline `2025-03-18 17:30 来源：中国政府网 【字体：大 中 小】 打印` and the 纠错/责任编辑
  line inside the article container, 相关稿件, footer;
- `beijing_notice_with_plan.html`: a beijing.gov.cn page — the `[标题] … [有效性]` list, no title element in the
  article (the title comes from the metadata block, the <title> carries `-首都之窗-北京市人民政府门户网站`), a 印发
  notice with the plan it issues, 附件下载, 相关文件;
- `xicheng_district_notice.html`: a district site laid out in tables, GBK-encoded, metadata table, a byline row with
  `字号：[大 中 小] [打印本页] [关闭窗口]`, the notice and the rules it issues in a TRS_Editor, footer rows in a table;
- `district_bureau_announcement.html`: a district bureau's 通告 on a modern layout — no metadata block, the title in
  a `detail-title` div, the number only in the text, 浏览次数, 扫一扫, 上一篇/下一篇;
- `district_workplan_notice.html`: a district page with the metadata in a <dl> (label and value on separate lines),
  a 印发 notice with the yearly 政务公开工作要点 (tasks with 牵头/配合/责任单位), attachments, 相关解读.

`benchmarks/parse_bench.py` measures these pages as their own row ("government pages, full HTML").
"""

import re
from pathlib import Path

import pytest

from gongkai.documents.extract import extract_text
from gongkai.documents.normalise import is_web_noise
from gongkai.documents.official import parse_official_document
from gongkai.documents.workplan import parse_workplan

FULL_PAGES = Path(__file__).resolve().parent / "fixtures" / "full_pages"

# What the extracted text may not contain: the page's chrome (regular expressions).
CHROME = (
    "首页",
    "当前位置",
    "您现在的位置",
    "您的位置",
    "(?<!发文)字号",
    "字体",
    "打印",
    "关闭窗口",
    "分享到",
    "微信",
    "扫一扫",
    "上一篇",
    "下一篇",
    "责任编辑",
    "我要纠错",
    "浏览次数",
    "来源：",
    "相关稿件",
    "相关文件",
    "相关解读",
    "网站地图",
    "主办单位",
    "承办单位：",
    "网站标识码",
    "ICP备",
    "公网安备",
    "版权所有",
    "function",
    "var ",
    r"\{",
)

EXPECTED = {
    "gov_cn_opinion.html": {
        "title": "国务院关于加快推进数字政府建设优化基层公共服务的指导意见",
        "doc_number": "国发〔2025〕7号",
        "issuer": "国务院",
        "date": "2025-03-12",
        "recipients": ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"],
        "body_start": "基层是政务服务的“最后一公里”",
        "body_end": "重大事项及时向国务院请示报告。",
        "note": "此件公开发布",
        "attached_title": None,
    },
    "beijing_notice_with_plan.html": {
        "title": "北京市人民政府关于印发《北京市推进公共数据开放利用实施方案（2025—2027年）》的通知",
        "doc_number": "京政发〔2025〕9号",
        "issuer": "北京市人民政府",
        "date": "2025-04-02",
        "recipients": ["各区人民政府", "市政府各委、办、局", "各市属机构"],
        "body_start": "现将《北京市推进公共数据开放利用实施方案（2025—2027年）》印发给你们",
        "body_end": "请认真贯彻落实。",
        "note": "此件公开发布",
        "attached_title": "北京市推进公共数据开放利用实施方案（2025—2027年）",
    },
    "xicheng_district_notice.html": {
        "title": "北京市西城区人民政府办公室关于印发《西城区老旧小区综合整治居民议事规则》的通知",
        "doc_number": "西政办发〔2024〕11号",
        "issuer": "北京市西城区人民政府办公室",
        "date": "2024-06-14",
        "recipients": ["各街道办事处", "区政府各委、办、局", "各区属机构"],
        "body_start": "《西城区老旧小区综合整治居民议事规则》已经区政府同意",
        "body_end": "请结合实际认真贯彻执行。",
        "note": "此件公开发布",
        "attached_title": "西城区老旧小区综合整治居民议事规则",
    },
    "district_bureau_announcement.html": {
        "title": "北京市西城区市场监督管理局关于开展2025年度食品经营许可证换证工作的通告",
        "doc_number": "西市监通告〔2025〕2号",
        "issuer": "北京市西城区市场监督管理局",
        "date": "2025-04-28",
        "recipients": [],
        "body_start": "为贯彻落实《食品经营许可和备案管理办法》",
        "body_end": "特此通告。",
        "note": None,
        "attached_title": None,
    },
    "district_workplan_notice.html": {
        "title": "北京市西城区人民政府办公室关于印发《西城区2025年政务公开工作要点》的通知",
        "doc_number": "西政办发〔2025〕4号",
        "issuer": "北京市西城区人民政府办公室",
        "date": "2025-03-14",
        "recipients": ["各街道办事处", "区政府各委、办、局", "各区属机构"],
        "body_start": "经区政府同意，现将《西城区2025年政务公开工作要点》印发给你们",
        "body_end": "各单位落实情况于2025年12月10日前报区政务公开办。",
        "note": "此件公开发布",
        "attached_title": "西城区2025年政务公开工作要点",
    },
}


def test_every_full_page_fixture_has_expectations():
    assert sorted(path.name for path in FULL_PAGES.glob("*.html")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_full_page_gives_the_documents_elements_and_drops_the_chrome(name):
    expected = EXPECTED[name]
    text = extract_text(FULL_PAGES / name)
    doc = parse_official_document(text, normalised=True)
    assert doc["title"] == expected["title"]
    assert doc["doc_number"] == expected["doc_number"] and doc["doc_number_problems"] == []
    assert doc["issuer"] == expected["issuer"]
    assert doc["date"] == expected["date"]
    assert doc["recipients"] == expected["recipients"]
    assert doc["body"].startswith(expected["body_start"])
    assert doc["body"].endswith(expected["body_end"])
    assert doc["note"] == expected["note"]
    attached = doc["attached_document"]
    assert (attached["title"] if attached else None) == expected["attached_title"]
    for chrome in CHROME:
        assert not re.search(chrome, text), f"{name}: {chrome!r} left in the extracted text"


def test_full_page_metadata_blocks():
    gov = parse_official_document(extract_text(FULL_PAGES / "gov_cn_opinion.html"), normalised=True)
    assert gov["metadata"] == {
        "index_number": "000014349/2025-00021",
        "theme": "国务院组织机构\\其他",
        "issuer": "国务院",
        "written_date": "2025-03-12",
        "title": "国务院关于加快推进数字政府建设优化基层公共服务的指导意见",
        "doc_number": "国发〔2025〕7号",
        "publish_date": "2025-03-18",
    }
    beijing = parse_official_document(
        extract_text(FULL_PAGES / "beijing_notice_with_plan.html"), normalised=True
    )
    assert beijing["metadata"]["doc_number"] == "京政发〔2025〕9号"  # [2025] in the list, normalised
    assert beijing["metadata"]["validity"] == "有效"
    district = parse_official_document(
        extract_text(FULL_PAGES / "xicheng_district_notice.html"), normalised=True
    )
    assert district["metadata"]["publish_date"] == "2024-06-19"
    assert district["metadata"]["disclosure"] == "主动公开"
    dl = parse_official_document(extract_text(FULL_PAGES / "district_workplan_notice.html"), normalised=True)
    assert dl["metadata"] == {
        "index_number": "11110102000012345X/2025-00019",
        "issuer": "北京市西城区人民政府办公室",
        "doc_number": "西政办发〔2025〕4号",
        "theme": "政务公开",
        "written_date": "2025-03-14",
        "publish_date": "2025-03-20",
    }


def test_full_page_kinds():
    kinds = {
        name: parse_official_document(extract_text(FULL_PAGES / name), normalised=True)["document_kind"]
        for name in ("gov_cn_opinion.html", "beijing_notice_with_plan.html", "district_workplan_notice.html")
    }
    # A 印发 notice takes the kind of what it issues: a plan (实施方案（2025—2027年）, 工作要点) is not a
    # normative document.
    assert kinds == {
        "gov_cn_opinion.html": "normative",
        "beijing_notice_with_plan.html": "other",
        "district_workplan_notice.html": "other",
    }


def test_full_page_work_plan():
    plan = parse_workplan(extract_text(FULL_PAGES / "district_workplan_notice.html"), normalised=True)
    assert plan["title"] == "西城区2025年政务公开工作要点" and plan["year"] == 2025
    assert len(plan["tasks"]) == 16
    assert plan["tasks"][2]["owners"] == ["区司法局", "区市场监管局", "各相关部门"]


def test_page_title_without_the_site_name(tmp_path):
    page = (
        "<html><head><title>关于印发《某某实施方案》的通知-首都之窗-北京市人民政府门户网站</title></head>"
        "<body><div class='content'><p>各区人民政府：</p><p>现将《某某实施方案》印发给你们，请认真贯彻落实。</p>"
        "</div></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    assert extract_text(path).split("\n")[0] == "关于印发《某某实施方案》的通知"


@pytest.mark.parametrize(
    "line",
    [
        "2025-03-18 17:30来源：中国政府网【字体：大中小】打印",
        "发布时间：2024-06-19 来源：区住房城市建设委 字号：[大 中 小] [打印本页] [关闭窗口]",
        "发布日期：2025-05-06 浏览次数：1286",
        "2024年6月19日 来源：区司法局",
        "【我要纠错】责任编辑：王晓明",
        "【打印本页】【关闭窗口】",
        "【分享】微信 微博",
        "[打印] 发布时间：2025-05-06 来源：区市场监管局",
    ],
)
def test_byline_and_button_lines_are_noise(line):
    assert is_web_noise(line)


@pytest.mark.parametrize(
    "line",
    [
        "2024年6月19日，区政府召开常务会议，研究来源地管理工作。",
        "来源：国务院",  # a document may cite its source; only a page's byline (a date first) is furniture
        "【重要】关于调整办公时间的通知",
        "【打印】后的材料由申请人签字确认。",
        "2025年3月12日",
    ],
)
def test_lines_that_only_look_like_a_byline_stay(line):
    assert not is_web_noise(line)
