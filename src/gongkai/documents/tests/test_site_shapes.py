"""parse-document on documents in the shapes government sites publish (fixtures in `site_shapes.py`): each class of
fault found on real pages has a test here."""

import pytest

from gongkai.documents.extract import extract_text
from gongkai.documents.normalise import normalise_text
from gongkai.documents.official import parse_metadata, parse_official_document

from . import site_shapes as shapes
from .conftest import docx_bytes, pdf_bytes


def parse_file(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    text = extract_text(path)
    return text, parse_official_document(text, normalised=True)


def test_gov_cn_page_with_metadata_table_spaced_labels_and_separate_cells(tmp_path):
    text, doc = parse_file(tmp_path, "page.html", shapes.GOV_CN_PAGE.encode("utf-8"))
    for noise in ("字体", "打印", "分享到", "版权所有", "京ICP备", "首页"):
        assert noise not in text
    assert doc["metadata"] == {
        "index_number": "000014349/2024-00005",
        "theme": "国务院组织机构\\其他",
        "issuer": "国务院",
        "written_date": "2024-01-12",
        "title": "国务院关于进一步优化政务服务提升行政效能推动“高效办成一件事”的指导意见",
        "doc_number": "国发〔2024〕3号",
        "publish_date": "2024-01-16",
    }
    assert doc["title"] == "国务院关于进一步优化政务服务提升行政效能推动“高效办成一件事”的指导意见"
    assert doc["doc_number"] == "国发〔2024〕3号"  # printed under the title
    assert doc["recipients"] == ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"]
    assert doc["issuer"] == "国务院" and doc["issuers"] == ["国务院"]
    assert doc["date"] == "2024-01-12"
    assert "（国发〔2018〕27号）继续执行" in doc["body"]  # a cited number stays in the body
    assert doc["body"].startswith("企业和群众眼中的")
    assert doc["attached_document"] is None
    assert doc["document_kind"] == "normative"


def test_beijing_page_with_bracket_labels_gb2312_and_table_serials(tmp_path):
    text, doc = parse_file(tmp_path, "page.htm", shapes.BEIJING_PAGE.encode("gb18030"))
    assert "当前位置" not in text and "字号：" not in text and "关闭" not in text
    assert doc["metadata"]["doc_number"] == "京政发〔2023〕6号"  # [2023] in the list, normalised
    assert doc["metadata"]["validity"] == "有效" and doc["metadata"]["index_number"] == "000014348/2023-00028"
    assert "joint_issuers" not in doc["metadata"]  # the empty [联合发文单位]
    assert doc["title"] == "北京市人民政府关于印发《北京市全面优化营商环境助力企业高质量发展实施方案》的通知"
    assert doc["doc_number"] == "京政发〔2023〕6号" and doc["doc_number_problems"] == []
    assert doc["recipients"] == ["各区人民政府", "市政府各委、办、局", "各市属机构"]
    assert (doc["issuer"], doc["date"], doc["disclosure"]) == ("北京市人民政府", "2023-02-08", "proactive")
    assert doc["attached_document"]["title"] == "北京市全面优化营商环境助力企业高质量发展实施方案"
    # table rows keep their serial numbers
    assert "1｜优化企业开办服务｜市市场监管局" in doc["attached_text"]
    assert "2｜提升纳税便利度｜市税务局" in doc["attached_text"]
    assert doc["document_kind"] == "other"  # it issues a plan


def test_scraped_text_with_web_noise_label_lines_and_cited_numbers():
    doc = parse_official_document(shapes.SCRAPED_TEXT)
    assert doc["metadata"] == {
        "index_number": "11110102000012345X/2024-00031",
        "issuer": "北京市西城区人民政府",
        "written_date": "2024-05-20",
        "doc_number": "京西政发〔2024〕5号",
        "publish_date": "2024-05-27",
        "validity": "有效",
    }
    assert doc["title"] == "北京市西城区人民政府关于废止部分区政府规范性文件的决定"
    assert doc["doc_number"] == "京西政发〔2024〕5号"
    assert doc["recipients"] == ["各街道办事处", "区政府各委、办、局", "各区属机构"]
    assert "文号：京西政发〔2016〕12号" in doc["body"]
    # the 附注 after the contact line is read too
    assert doc["note"] == "联系人：张明；联系电话：83971234；此件公开发布"
    assert doc["disclosure"] == "proactive"
    assert not any(
        noise in doc["body"] + doc["attached_text"] for noise in ("打印", "关闭窗口", "扫一扫", "版权所有")
    )


def test_a_wenhao_line_in_the_body_is_not_the_documents_own_number():
    text = "\n".join(
        line
        for line in shapes.SCRAPED_TEXT.split("\n")
        if "京西政发〔2024〕5号" not in line and line not in ("发文字号",)
    )
    doc = parse_official_document(text)
    assert doc["doc_number"] is None and "doc_number" not in doc["metadata"]


def test_number_after_the_title_in_brackets():
    doc = parse_official_document(
        "国务院办公厅关于印发政务服务“一网通办”工作方案的通知\n（国办发〔2022〕5号）\n"
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n现将方案印发给你们。\n国务院办公厅\n2022年2月11日"
    )
    assert doc["doc_number"] == "国办发〔2022〕5号"
    assert doc["title"] == "国务院办公厅关于印发政务服务“一网通办”工作方案的通知"


def test_metadata_value_is_cut_at_an_unknown_label():
    metadata, used = parse_metadata(
        ["发文字号：国发〔2024〕49号文件登记号：GWY-2024-0049", "成文日期：2024年6月1日公开方式：主动公开"]
    )
    assert metadata == {
        "doc_number": "国发〔2024〕49号",
        "written_date": "2024-06-01",
        "disclosure": "主动公开",
    }
    assert used == {0, 1}


@pytest.mark.parametrize(
    "lines",
    [
        ["索 引 号：", "000014349/2024-00005", "发文机关：", "国务院"],
        ["索引号", "000014349/2024-00005", "发文机关", "国务院"],
        ["索引号｜000014349/2024-00005｜发文机关｜国务院"],
        ["索引号：｜000014349/2024-00005", "发文机关：｜国务院"],
        ["[索引号] 000014349/2024-00005 [发文机关] 国务院"],
        ["【索引号】000014349/2024-00005【发文机关】国务院"],
    ],
)
def test_metadata_block_shapes(lines):
    metadata, _used = parse_metadata([normalise_text(line, reflow_lines=False) or line for line in lines])
    assert metadata == {"index_number": "000014349/2024-00005", "issuer": "国务院"}


def test_state_council_order():
    doc = parse_official_document(shapes.STATE_COUNCIL_ORDER)
    assert doc["title"] == "国务院关于修改和废止部分行政法规的决定"
    assert doc["issuer_mark"] == "中华人民共和国国务院令"
    assert doc["doc_number"] == "国务院令第752号" and doc["doc_number_problems"] == []
    assert doc["doc_type"] == "令"
    assert (doc["issuer"], doc["signers"], doc["date"]) == ("国务院", ["李克强"], "2022-03-29")
    assert doc["document_kind"] == "administrative_regulation"
    assert doc["attached_document"]["title"] == "国务院关于修改和废止部分行政法规的决定"


def test_beijing_government_order_without_a_title_line():
    doc = parse_official_document(shapes.BEIJING_ORDER)
    assert doc["title"] == "北京市生活垃圾管理条例实施办法"  # not 北京市人民政府令
    assert doc["doc_number"] == "北京市人民政府令第312号"
    assert (doc["issuer"], doc["signers"], doc["date"]) == ("北京市人民政府", ["殷勇"], "2023-11-27")
    assert doc["document_kind"] == "rule"
    articles = [n for n in doc["outline"] if n["kind"] == "article"]
    assert [a["number"] for a in articles] == [1, 2]


def _forwarded_expectations(doc):
    assert doc["title"] == "北京市人民政府办公厅转发市发展改革委关于进一步做好本市招标投标工作若干意见的通知"
    assert doc["issuer_mark"] == "北京市人民政府办公厅"
    assert doc["doc_number"] == "京政办发〔2023〕12号"
    # the notice's own issuer and date, not those of the forwarded opinion signed below it
    assert (doc["issuer"], doc["date"]) == ("北京市人民政府办公厅", "2023-06-12")
    assert doc["disclosure"] == "proactive"
    assert doc["attached_document"] == {
        "title": "关于进一步做好本市招标投标工作的若干意见",
        "doc_number": None,
        "issuer": "北京市发展和改革委员会",
        "issuers": ["北京市发展和改革委员会"],
        "date": "2023-05-26",
    }
    assert doc["cc"] == ["市委办公厅", "市人大常委会办公厅"]
    assert (doc["printer"], doc["print_date"]) == ("北京市人民政府办公厅", "2023-06-12")


def test_forwarded_notice_as_text():
    _forwarded_expectations(parse_official_document(shapes.FORWARDED_NOTICE))


def test_forwarded_notice_as_docx(tmp_path):
    lines = [line for line in shapes.FORWARDED_NOTICE.split("\n") if line]
    _text, doc = parse_file(tmp_path, "转发通知.docx", docx_bytes(lines))
    _forwarded_expectations(doc)


def test_forwarded_notice_as_pdf(tmp_path):
    lines = []
    for line in shapes.FORWARDED_NOTICE.split("\n"):
        while len(line) > 34:  # wrapped as on an A4 page
            lines.append(line[:34])
            line = line[34:]
        if line:
            lines.append(line)
    _text, doc = parse_file(tmp_path, "转发通知.pdf", pdf_bytes(lines))
    _forwarded_expectations(doc)


def test_reply_keeps_its_own_date_and_names_the_attachment():
    doc = parse_official_document(shapes.REPLY_WITH_ATTACHMENT)
    assert doc["doc_type"] == "批复" and doc["doc_number"] == "国函〔2023〕64号"
    assert doc["recipients"] == ["北京市人民政府"]
    assert (doc["issuer"], doc["date"]) == ("国务院", "2023-07-08")
    assert doc["attached_document"]["title"] == "国务院决定在北京市暂时调整实施有关行政法规规定目录"
    assert "（京政文〔2023〕15号）收悉" in doc["body"]


def test_joint_issuers_are_a_list():
    doc = parse_official_document(shapes.JOINT_OPINION)
    assert doc["issuers"] == ["国务院办公厅", "中央军委办公厅"]
    assert doc["issuer"] == "国务院办公厅"
    assert doc["recipients"] == [
        "各省、自治区、直辖市人民政府",
        "国务院各部委、各直属机构",
        "各战区",
        "各军兵种",
    ]


def test_joint_announcement_number_keeps_the_space_between_issuers():
    doc = parse_official_document(shapes.TAX_ANNOUNCEMENT)
    assert doc["doc_number"] == "财政部 税务总局公告2022年第13号" and doc["doc_number_problems"] == []
    assert doc["issuers"] == ["财政部", "税务总局"]
    assert doc["date"] == "2022-03-14" and doc["doc_type"] == "公告"
    assert doc["recipients"] == []  # “现将有关税收政策公告如下：” is a sentence, not a recipient
    assert doc["document_kind"] == "normative"


@pytest.mark.parametrize(
    ("line", "names"),
    [
        (
            "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
            ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"],
        ),
        ("各市、县（市、区）人民政府，市政府各部门：", ["各市、县（市、区）人民政府", "市政府各部门"]),
        ("市政府各委、办、局，各区人民政府：", ["市政府各委、办、局", "各区人民政府"]),
        ("有关单位：", ["有关单位"]),
        ("区财政局、区审计局：", ["区财政局", "区审计局"]),
        ("现将有关事项通知如下：", None),
        ("主要内容包括：", None),
    ],
)
def test_recipients_are_whole_names(line, names):
    doc = parse_official_document(f"关于某事的通知\n{line}\n正文。\n区财政局\n2024年1月2日")
    if names is None:
        assert doc["recipients"] == [] and doc["body"].startswith(line)
    else:
        assert doc["recipients"] == names


@pytest.mark.parametrize(
    "noise",
    [
        "字号 大 中 小",
        "【字体：大 中 小】",
        "打印",
        "【打印本页】【关闭窗口】",
        "关闭",
        "分享到：微信 微博",
        "分享",
        "扫一扫在手机打开当前页",
        "当前位置：首页 > 政策文件",
        "首页 > 政务公开 > 政策文件",
        "责任编辑：王五",
        "上一篇：关于某事的通知",
        "版权所有：北京市西城区人民政府",
        "京ICP备05021588号",
    ],
)
def test_web_noise_lines_are_removed(noise):
    assert normalise_text(f"关于某事的通知\n{noise}\n正文第一段。") == "关于某事的通知\n正文第一段。"


def test_words_that_only_look_like_noise_stay():
    text = "关于做好打印设备采购的通知\n大中小企业均可申报。\n关闭违规场所。"
    assert normalise_text(text) == text


def test_table_serial_numbers_are_kept_page_numbers_are_not():
    text = "附表：\n序号\n单位\n1\n区财政局\n2\n区审计局\n3\n区统计局\n正文继续。\n\n7\n\n下一页。"
    lines = normalise_text(text).split("\n")
    assert lines[2:7] == ["1", "区财政局", "2", "区审计局", "3"]
    assert "7" not in lines and "— 8 —" not in normalise_text(text + "\n— 8 —\n")
