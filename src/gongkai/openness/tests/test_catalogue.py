"""政府信息公开目录 (条例 Art. 12): only the district's public records, in catalogue form, filtered and paged;
hostile parameters answer 200 with a message; the Excel export has the filtered rows as text, never formulas."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.openness import basis, catalogue
from gongkai.policies import actions as policy_actions

URL = "/openness/catalogue/"


@pytest.fixture
def records(departments, make_policy):
    from gongkai.core.models import Department
    from gongkai.policies.models import Theme

    finance = Theme.objects.get(name="财政、金融、审计")
    made = {
        "budget": make_policy(
            "关于印发区级财政预算管理办法的通知",
            department="区财政局",
            theme=finance,
            summary="规范区级财政预算的编制、执行和监督。",
            written_date=datetime.date(2025, 1, 20),
            publish_date=datetime.date(2025, 2, 3),
        ),
        "sme": make_policy(
            "关于促进中小企业发展的若干措施",
            body="第一条 为了促进中小企业发展，制定本措施。" + "支持中小企业融资。" * 40,
            publish_date=datetime.date(2024, 3, 5),
        ),
        "draft": make_policy("尚未发布的草稿通知", publish=False, publish_date=datetime.date(2025, 3, 1)),
        "withdrawn": make_policy("已撤回的公告", publish_date=datetime.date(2025, 3, 2)),
        "private": make_policy(
            "不予公开的内部工作方案",
            department="区民政局",
            disclosure="not_disclosed",
            disclosure_reason="涉及内部事务信息（条例第十六条）",
            publish_date=datetime.date(2025, 3, 3),
        ),
        "formula": make_policy(
            '=HYPERLINK("https://evil.example","点击")',
            summary="+cmd|' /C calc'!A0",
            publish_date=datetime.date(2025, 3, 4),
        ),
    }
    policy_actions.unpublish_policy(made["withdrawn"], actor=None, reason="内容有误")
    state_council = Department.objects.create(name="中华人民共和国国务院", short_name="国务院", code="GWY",
                                              kind="external")  # fmt: skip
    departments["国务院"] = state_council
    made["external"] = make_policy(
        "国务院关于外部文件的通知",
        department="国务院",
        drafting_department=None,
        publish_date=datetime.date(2025, 3, 5),
    )
    return made


def _get(client=None, query=""):
    response = (client or Client()).get(URL + query)
    assert response.status_code == 200, query
    return response, response.content.decode()


def test_the_catalogue_lists_only_the_districts_public_records(records):
    response, html = _get()
    assert not response.cookies
    budget = records["budget"]
    assert budget.index_number and budget.index_number in html
    assert "关于印发区级财政预算管理办法的通知" in html and "规范区级财政预算的编制、执行和监督。" in html
    assert "2025-01-20" in html  # 生成日期 = 成文日期
    assert "北京市西城区财政局" in html and "财政、金融、审计" in html
    for hidden in (
        "尚未发布的草稿通知",
        "已撤回的公告",
        "不予公开的内部工作方案",
        "国务院关于外部文件的通知",
    ):
        assert hidden not in html, hidden
    assert "共 3 条" in html
    # the legal basis from basis.py, the summary shortened from the text when there is none
    assert str(basis.SECTIONS["catalogue"].basis)[:30] in html
    sme = records["sme"]
    assert catalogue.summary_of(catalogue.records().get(pk=sme.pk)).endswith("…")
    assert len(catalogue.summary_of(catalogue.records().get(pk=sme.pk))) == catalogue.SUMMARY_LENGTH
    assert 'lang="zh-Hans"' in html and "<caption" in html and 'scope="col"' in html


def test_filters_by_department_theme_and_year(records, departments):
    from gongkai.policies.models import Theme

    finance = departments["区财政局"]
    _response, html = _get(query=f"?department={finance.pk}")
    assert "关于印发区级财政预算管理办法的通知" in html and "关于促进中小企业发展的若干措施" not in html
    # a department with only non-public records is not offered
    assert f'value="{departments["区民政局"].pk}"' not in html
    _response, html = _get(query="?year=2024")
    assert "关于促进中小企业发展的若干措施" in html and "关于印发区级财政预算管理办法的通知" not in html
    theme = Theme.objects.get(name="财政、金融、审计")
    _response, html = _get(query=f"?theme={theme.pk}&year=2025")
    assert "共 1 条" in html and "关于印发区级财政预算管理办法的通知" in html
    _response, html = _get(query=f"?theme={theme.pk}&year=2024")
    assert "没有符合条件的政府信息。" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("?year=abc", "目录中没有年份为“abc”的信息"),
        ("?year=1999", "目录中没有年份为“1999”的信息"),
        ("?year=99999999999999999999", "目录中没有年份为"),
        ("?department=987654", "目录中没有发布机构为“987654”的信息"),
        ("?department=<script>", "目录中没有发布机构为“&lt;script&gt;”的信息"),
        ("?theme=-1", "目录中没有主题分类为“-1”的信息"),
        ("?page=99999999", "没有第 10000 页，共 1 页，已显示最后一页"),
        ("?page=abc&year=", ""),
    ],
)
def test_hostile_parameters_answer_200_with_a_message(records, query, message):
    _response, html = _get(query=query)
    assert message in html
    assert "关于印发区级财政预算管理办法的通知" in html  # the ignored condition shows everything
    assert "<script>" not in html.split("<main", 1)[1]


def test_a_department_of_private_records_only_is_refused_with_a_message(records, departments):
    _response, html = _get(query=f"?department={departments['区民政局'].pk}")
    assert "目录中没有发布机构为" in html and "不予公开的内部工作方案" not in html


def test_numbered_pager(records, make_policy, monkeypatch):
    from gongkai.openness import views

    monkeypatch.setattr(views, "PER_PAGE", 1)
    _response, html = _get(query="?year=2025")
    assert "第 1 / 2 页" in html and "尾页" in html and "page=2" in html and "year=2025" in html
    _response, page2 = _get(query="?year=2025&page=2")
    assert "第 2 / 2 页" in page2
    shown = [t for t in ("关于印发区级财政预算管理办法的通知", "HYPERLINK") if t in html + page2]
    assert len(shown) == 2


def _sheet(content):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content)).active


def test_export_has_the_filtered_rows_as_text(records, departments):
    client = Client()
    _response, html = _get(client, "?year=2025")
    assert 'href="/openness/catalogue/export.xlsx?year=2025"' in html
    response = client.get(reverse("openness:catalogue_export") + "?year=2025")
    assert response.status_code == 200 and not response.cookies
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="catalogue-')
    ws = _sheet(response.content)
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "政府信息公开目录" and "年份：2025" in rows[1][0]
    assert rows[2][:6] == ("序号", "索引号", "名称", "发文字号", "内容概述", "生成日期")
    titles = [r[2] for r in rows[3:]]
    assert "关于印发区级财政预算管理办法的通知" in titles and "关于促进中小企业发展的若干措施" not in titles
    assert not {
        "尚未发布的草稿通知",
        "已撤回的公告",
        "不予公开的内部工作方案",
        "国务院关于外部文件的通知",
    } & set(titles)
    budget = next(r for r in rows[3:] if r[2] == "关于印发区级财政预算管理办法的通知")
    assert budget[1] == records["budget"].index_number and budget[7] == "北京市西城区财政局"
    assert budget[5].date() == datetime.date(2025, 1, 20) and budget[10].endswith(
        f"/policies/{records['budget'].pk}/"
    )


def test_export_guards_against_formula_injection(records):
    ws = _sheet(Client().get(reverse("openness:catalogue_export")).content)
    row = next(r for r in ws.iter_rows(min_row=4) if r[2].value and r[2].value.startswith("=HYPERLINK"))
    assert row[2].data_type == "s" and row[4].data_type == "s"  # stored as text, never a formula
    assert row[4].value == "+cmd|' /C calc'!A0"
    for cell in ws.iter_rows():
        for c in cell:
            assert c.data_type != "f"


def test_export_with_hostile_filters_is_the_whole_catalogue(records):
    response = Client().get(reverse("openness:catalogue_export") + "?year=abc&department=<x>&theme=9e99")
    assert response.status_code == 200
    rows = list(_sheet(response.content).iter_rows(values_only=True))
    assert "全部" in rows[1][0] and len([r for r in rows[3:] if r[0]]) == 3


def test_export_is_capped_with_a_note(records, monkeypatch):
    monkeypatch.setattr(catalogue, "EXPORT_LIMIT", 2)
    rows = list(
        _sheet(Client().get(reverse("openness:catalogue_export")).content).iter_rows(values_only=True)
    )
    assert [r[0] for r in rows[3:5]] == [1, 2]
    assert "共 3 条，本表只含前 2 条" in rows[-1][0]


def test_catalogue_changes_at_once_when_a_record_is_withdrawn(records):
    client = Client()
    _get(client)
    assert client.get(URL)["X-Page-Cache"] == "hit"
    policy_actions.unpublish_policy(records["budget"], actor=None, reason="需修改")
    _response, html = _get(client)
    assert "关于印发区级财政预算管理办法的通知" not in html


def test_catalogue_in_english(records):
    from django.conf import settings

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _response, html = _get(client, "?year=abc")
    assert '<html lang="en"' in html
    for text in ("Government information disclosure catalogue", "Index number", "Date of creation",
                 "Export this catalogue (Excel)", "ignored"):  # fmt: skip
        assert text in html, text
    assert '<td lang="zh-Hans"><a href="/policies/' in html
