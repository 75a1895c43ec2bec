"""The 导入文件 screens in a real browser, as the people who use them: the openness office imports a forwarded
notice issued outside the district (a .docx), sees every flag, corrects fields and saves; the office imports a
国务院令 saved from gov.cn (an HTML page with its metadata table), sees the page's metadata, saves it and saves it
again in the policy editor with the order number typed as sites print it; a drafter imports a document of the
own department; the public filters the library by 本区/外部."""

import datetime
import os

import pytest

from gongkai.core import roles
from gongkai.policies.models import Policy

from . import site_shapes as shapes
from .conftest import docx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = os.environ.get("GONGKAI_SCREENSHOTS")  # a directory to keep the screenshots in, when set


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"import-{name}.png"), full_page=True)


def login(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "test-password-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_openness_office_imports_a_forwarded_notice_and_corrects_it(
    browser_page, live_server, make_user, tmp_path
):
    make_user(roles.OPENNESS_OFFICE, "区政务服务局", username="office", is_staff=True)
    page = browser_page
    login(page, live_server, "office")
    page.get_by_role("link", name="导入文件").first.click()
    page.wait_for_url("**/documents-import/import/")
    notice = tmp_path / "转发招标投标意见的通知.docx"
    lines = [
        line for line in shapes.FORWARDED_NOTICE.replace("〔2023〕12号", "[2023]第012号").split("\n") if line
    ]
    notice.write_bytes(docx_bytes(lines))
    page.set_input_files("input[name=file]", str(notice))
    page.get_by_role("button", name="识别并预览").click()
    page.wait_for_selector("form.documents-import-correction")
    shot(page, "1-preview")
    text = page.content()
    for flag in ("年份应使用六角括号", "序号前不加“第”字", "保存时将登记为外部机关", "所附（转发）文件"):
        assert flag in text, flag
    # the pre-filled values, normalised
    assert page.input_value("#id_doc_number") == "京政办发〔2023〕12号"
    assert page.input_value("#id_new_external_issuer") == "北京市人民政府办公厅"
    assert page.input_value("#id_written_date") == "2023-06-12"
    # a wrong correction is refused on its field
    page.fill("#id_publish_date", "2020-01-01")
    page.get_by_role("button", name="保存为草稿").click()
    page.wait_for_selector(".error-message")
    assert "发布日期不能早于成文日期" in page.content()
    assert Policy.objects.count() == 0
    shot(page, "2-refused")
    # corrected and saved
    page.fill("#id_publish_date", "2023-06-15")
    page.select_option("#id_document_kind", "normative")
    page.get_by_role("button", name="保存为草稿").click()
    page.wait_for_url("**/snippets/policies/policy/edit/**")
    shot(page, "3-saved")
    assert "已创建政策文件草稿" in page.content()
    policy = Policy.objects.get()
    assert policy.issuer.name == "北京市人民政府办公厅" and policy.issuer.is_external
    assert policy.document_kind == "normative" and policy.publish_date == datetime.date(2023, 6, 15)
    assert policy.doc_number == "京政办发〔2023〕12号" and policy.written_date == datetime.date(2023, 6, 12)


def test_openness_office_imports_a_state_council_order_page_and_saves_it_in_the_editor(
    browser_page, live_server, make_user, tmp_path
):
    make_user(roles.OPENNESS_OFFICE, "区政务服务局", username="office", is_staff=True)
    page = browser_page
    login(page, live_server, "office")
    page.goto(f"{live_server.url}/admin/documents-import/import/")
    order_page = tmp_path / "国务院关于修改和废止部分行政法规的决定_中国政府网.html"
    order_page.write_text(shapes.GOV_CN_ORDER_PAGE, encoding="utf-8")
    page.set_input_files("input[name=file]", str(order_page))
    page.get_by_role("button", name="识别并预览").click()
    page.wait_for_selector("form.documents-import-correction")
    shot(page, "6-order-preview")
    # the document's own metadata, pre-filled: the regulation's title (not 中华人民共和国国务院令), the order number
    # with 第, the issuer recorded as an external organ, the kind by the 立法法, the dates of the page and the text
    assert page.input_value("#id_title") == "国务院关于修改和废止部分行政法规的决定"
    assert page.input_value("#id_doc_number") == "国务院令第752号"
    assert page.input_value("#id_new_external_issuer") == "国务院"
    assert page.input_value("#id_document_kind") == "administrative_regulation"
    assert page.input_value("#id_written_date") == "2022-03-29"
    assert page.input_value("#id_publish_date") == "2022-04-07"
    preview = page.locator("main").inner_text()
    assert "保存时将登记为外部机关" in preview
    # the page's metadata block and the order's signature, shown as read
    for shown in ("网页信息栏：索引号", "000014349/2022-00012", "国务院组织机构", "李克强"):
        assert shown in preview, shown
    for furniture in ("字体", "分享到", "京ICP备"):
        assert furniture not in preview, furniture
    page.get_by_role("button", name="保存为草稿").click()
    page.wait_for_url("**/snippets/policies/policy/edit/**")
    policy = Policy.objects.get()
    assert policy.doc_number == "国务院令第752号" and policy.issuer.short_name == "国务院"
    assert policy.issuer.is_external
    assert policy.document_kind == "administrative_regulation" and policy.drafting_department is None
    # the editor saves a policy carrying an order number, typed with a space as pages print it
    assert page.input_value("#id_doc_number") == "国务院令第752号"
    page.fill("#id_doc_number", "国务院令 第752号")
    page.fill("#id_summary", "修改14部、废止6部行政法规。")
    with page.expect_navigation():
        page.click("button.action-save")
    shot(page, "7-order-saved")
    assert "发文字号" not in page.locator(".error-message").all_inner_texts().__str__()
    policy.refresh_from_db()
    draft = policy.get_latest_revision_as_object()
    assert draft.summary == "修改14部、废止6部行政法规。"
    assert draft.doc_number == "国务院令第752号"  # stored in its normal form
    assert page.input_value("#id_doc_number") == "国务院令第752号"


def test_drafter_imports_a_document_of_the_own_department(browser_page, live_server, make_user, tmp_path):
    make_user(roles.DRAFTER, "区财政局", username="drafter", is_staff=True)
    page = browser_page
    login(page, live_server, "drafter")
    page.goto(f"{live_server.url}/admin/documents-import/import/")
    document = tmp_path / "通知.txt"
    document.write_text(
        "北京市西城区财政局关于做好2025年预算公开工作的通知\n西财发（2025）3号\n区政府各委、办、局，各街道办事处：\n"
        "请按要求做好预算公开工作。\n北京市西城区财政局\n2025年1月10日\n（此件公开发布）",
        encoding="utf-8",
    )
    page.set_input_files("input[name=file]", str(document))
    page.get_by_role("button", name="识别并预览").click()
    page.wait_for_selector("form.documents-import-correction")
    shot(page, "4-drafter-preview")
    assert page.input_value("#id_doc_number") == "西财发〔2025〕3号"
    page.get_by_role("button", name="保存为草稿").click()
    page.wait_for_url("**/snippets/policies/policy/edit/**")
    policy = Policy.objects.get()
    assert policy.issuer.short_name == "区财政局" and not policy.issuer.is_external
    assert policy.created_by.username == "drafter"


def test_the_public_filters_by_origin(browser_page, live_server, make_policy):
    from gongkai.core.external import external_organisation
    from gongkai.policies import actions

    council = external_organisation("国务院", actor=None)
    law = actions.create_policy(
        actor=None,
        title="某某管理条例",
        body="第一条 为了规范管理，制定本条例。",
        issuer=council,
        document_kind="administrative_regulation",
        policy_type="",
        written_date=datetime.date(2020, 1, 1),
    )
    actions.publish_policy(law, actor=None)
    make_policy("区某某工作方案", body="为了规范管理，制定本方案。")
    page = browser_page
    page.goto(f"{live_server.url}/policies/")
    page.get_by_role("link", name="外部").first.click()
    page.wait_for_url("**origin=external**")
    shot(page, "5-portal-external")
    assert "某某管理条例" in page.content() and "区某某工作方案" not in page.content()
    page.get_by_role("link", name="某某管理条例").click()
    assert "区外机关" in page.content() and "行政法规" in page.content()
