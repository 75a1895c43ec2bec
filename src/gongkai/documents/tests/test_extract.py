"""File to text, per format, and every refusal of issue 3 item 1 with its Chinese message."""

import io

import pytest

from gongkai.documents.errors import DocumentError
from gongkai.documents.extract import extract_text

from .conftest import (
    SAMPLE_DOCUMENT,
    docx_bytes,
    encrypted_pdf_bytes,
    pdf_bytes,
    scanned_pdf_bytes,
    seed_text,
)

TEXT = (
    "西城区2025年政务公开工作要点\n一、总体要求\n1.做好信息公开。（区财政局负责落实，完成时限：2025年10月）"
)


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "encoded",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("gb18030"),
        TEXT.encode("utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "utf-16"],
)
def test_text_encodings_are_detected(tmp_path, encoded):
    assert extract_text(write(tmp_path, "plan.txt", encoded)) == TEXT


def test_markdown(tmp_path):
    path = write(
        tmp_path, "law.md", "# 某某条例\n\n<!-- INFO END -->\n\n## 第一章 总 则\n\n第一条 为了。".encode()
    )
    assert extract_text(path) == "某某条例\n第一章总则\n第一条为了。"


def test_seed_file_is_normalised(tmp_path):
    text = extract_text(write(tmp_path, "seed.txt", seed_text(2024).encode("utf-8")))
    assert "区政务服务局" in text and "区政\n务服务局" not in text
    assert "\n11\n" not in text
    assert "完成时限：2024年12月）" in text


def test_open_file_and_filename(tmp_path):
    assert extract_text(io.BytesIO(TEXT.encode()), filename="upload.txt") == TEXT


def test_docx_paragraphs_numbering_and_tables(tmp_path):
    data = docx_bytes(
        ["北京市西城区人民政府文件", "京西政发〔2024〕3号", "关于加强政务公开的通知"],
        numbered=["第一项工作", "第二项工作"],
        table=[["索引号", "000014348/2024-00012"], ["有效性", "有效"]],
    )
    text = extract_text(write(tmp_path, "doc.docx", data))
    assert text.split("\n") == [
        "北京市西城区人民政府文件",
        "京西政发〔2024〕3号",
        "关于加强政务公开的通知",
        "1.第一项工作",
        "2.第二项工作",
        "索引号｜000014348/2024-00012",
        "有效性｜有效",
    ]


def test_pdf_with_text_layer(tmp_path):
    text = extract_text(write(tmp_path, "doc.pdf", pdf_bytes(SAMPLE_DOCUMENT.split("\n"))))
    assert "京西政办发〔2024〕3号" in text
    assert "北京市西城区人民政府办公室关于印发《西城区促进中小企业发展若干措施》的通知" in text
    assert "二〇二四年三月一日" in text


def test_pdf_over_several_pages_with_page_numbers(tmp_path):
    lines = []
    for page in range(3):
        lines += [f"{page + 1}.第{page + 1}项任务，内容较长需要换", "行继续。", f"— {page + 1} —"]
    text = extract_text(write(tmp_path, "doc.pdf", pdf_bytes(lines, lines_per_page=3)))
    assert text.split("\n") == [
        "1.第1项任务，内容较长需要换行继续。",
        "2.第2项任务，内容较长需要换行继续。",
        "3.第3项任务，内容较长需要换行继续。",
    ]


HTML = """<!DOCTYPE html><html><head><meta charset="gb2312"><title>关于加强政务公开的通知_西城区人民政府</title>
<script>var x = "不要这个";</script></head><body>
<div class="header"><a href="/">首页</a> <a href="/a">政务公开</a></div>
<div class="nav"><ul><li><a href="/1">机构</a></li><li><a href="/2">政策</a></li></ul></div>
<div class="xxgk_table"><table><tr><td>[索引号] 000014348/2024-00012</td><td>[主题分类] 综合政务</td></tr>
<tr><td>[发文字号] 京西政发〔2024〕3号</td><td>[有效性] 有效</td></tr></table></div>
<div class="TRS_Editor"><p>北京市西城区人民政府</p><p>关于加强政务公开的通知</p>
<p>各街道办事处，区政府各委、办、局：</p><p>为了进一步加强政务公开工作，现通知如下。</p>
<p>一、提高认识</p><p>各部门要高度重视。</p><p>北京市西城区人民政府</p><p>2024年3月1日</p></div>
<div class="footer">版权所有 北京市西城区人民政府 京ICP备 联系我们</div></body></html>"""


def test_html_main_content_and_metadata(tmp_path):
    text = extract_text(write(tmp_path, "page.html", HTML.encode("gb18030")))
    lines = text.split("\n")
    assert lines[0].startswith("[索引号] 000014348/2024-00012")
    assert "北京市西城区人民政府" in lines and "2024年3月1日" in lines
    assert "不要这个" not in text and "版权所有" not in text and "首页" not in text


@pytest.mark.parametrize(
    ("name", "data", "reason", "message"),
    [
        ("empty.txt", b"", "empty", "文件是空的"),
        ("blank.docx", b"   \n  ", "empty", "文件是空的"),
        ("scan.pdf", None, "scanned", "扫描件"),
        ("secret.pdf", "encrypted-pdf", "encrypted", "已加密"),
        (
            "secret.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64,
            "encrypted",
            "已加密",
        ),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "unsupported_type", ".doc"),
        ("picture.png", b"\x89PNG\r\n\x1a\n", "unsupported_type", "不支持的文件类型"),
        ("noextension", b"text", "unsupported_type", "无扩展名"),
        ("fake.pdf", "正文".encode(), "wrong_extension", "不是有效的 PDF"),
        ("fake.docx", "正文".encode(), "wrong_extension", "不是有效的 .docx"),
        ("real-pdf.txt", b"%PDF-1.4 ...", "wrong_extension", "文件内容是 PDF"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", "corrupt", "已损坏"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 100, "wrong_extension", "不是有效的 .docx"),
        ("bytes.txt", bytes(range(256)) * 4, "wrong_extension", "不是文本"),
    ],
)
def test_refusals_name_the_file_and_the_reason(tmp_path, name, data, reason, message):
    if data is None:
        data = scanned_pdf_bytes()
    elif data == "encrypted-pdf":
        data = encrypted_pdf_bytes(["机密内容"])
    with pytest.raises(DocumentError) as info:
        extract_text(write(tmp_path, name, data))
    assert info.value.reason == reason
    assert isinstance(info.value, ValueError)
    assert f"文件“{name}”" in str(info.value) and message in str(info.value)


def test_too_large(tmp_path):
    path = write(tmp_path, "big.txt", "政务公开".encode() * 1000)
    with pytest.raises(DocumentError) as info:
        extract_text(path, max_bytes=1024)
    assert info.value.reason == "too_large" and "文件过大" in str(info.value) and "big.txt" in str(info.value)
    with pytest.raises(DocumentError) as info:
        extract_text(io.BytesIO("政务公开".encode() * 1000), filename="big.txt", max_bytes=1024)
    assert info.value.reason == "too_large"


def test_size_limit_comes_from_settings(tmp_path, settings):
    settings.GONGKAI_MAX_UPLOAD_BYTES = 10
    with pytest.raises(DocumentError, match="文件过大"):
        extract_text(write(tmp_path, "a.txt", "政务公开工作要点".encode()))


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(DocumentError, match="文件不存在"):
        extract_text(tmp_path / "missing.txt")
    with pytest.raises(DocumentError, match="目录"):
        extract_text(tmp_path / ".", filename="dir.txt")


@pytest.mark.parametrize(
    "written, expected",
    [
        ("a.txt", "text"),
        ("./a.txt", "text"),
        ("a.txt/", "text"),  # Path drops a trailing separator or `.`: read as before
        ("a.txt/.", "text"),
        ("sub//a.txt", "text"),
        ("sub/./a.txt", "text"),
        ("", "not_a_file"),  # Path("") is the current directory
        (".", "not_a_file"),
        ("missing.txt", "not_found"),
    ],
)
def test_paths_are_read_as_pathlib_reads_them(tmp_path, monkeypatch, written, expected):
    (tmp_path / "sub").mkdir()
    for folder in (tmp_path, tmp_path / "sub"):
        (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    if expected == "text":
        assert extract_text(written).startswith("西城区2025年政务公开工作要点")
    else:
        with pytest.raises(DocumentError) as caught:
            extract_text(written)
        assert caught.value.reason == expected


def test_only_page_numbers_is_no_content(tmp_path):
    with pytest.raises(DocumentError) as info:
        extract_text(write(tmp_path, "pages.txt", "— 1 —\n\n— 2 —\n".encode()))
    assert info.value.reason == "no_content"


def test_element_text_shortcut_is_libxml2s_text():
    """`_text_content` reads a childless element's `.text`: the same as serialising it as text."""
    from lxml import etree

    from gongkai.documents.extract import _html_parser, _text_content

    from . import site_shapes

    pages = [site_shapes.GOV_CN_PAGE, site_shapes.GOV_CN_ORDER_PAGE, site_shapes.BEIJING_PAGE]
    pages.append(
        "<html><body><p>a &amp; b &nbsp;&unknown; &#x4e00;</p><td>  </td><p></p><div>x<!-- c -->y<?pi z?>w</div>"
        "<span>甲<b>乙</b>丙</span><pre>\n 行\n</pre><textarea>t<b>u</b></textarea></body></html>"
    )
    for page in pages:
        root = etree.fromstring(page, _html_parser())
        for element in root.iter(etree.Element):
            expected = etree.tostring(element, method="text", encoding=str, with_tail=False)
            assert _text_content(element) == expected
