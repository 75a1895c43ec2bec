"""The whole procedure in Chromium, as the applicant, the handler and the openness office do it through the screens:
application, receipt and claim, the 补正告知书 (previewed, edited, sent), the correction handed in online with the
query code, a third-party consultation with its letter (the clock paused), an extension with its 延期答复告知书, the
reply with an uploaded document redacted for 部分公开 and a link to a published
policy, the medium finding confirmed with a reason, and the applicant downloading the redacted copy. The mails are
read from the mail backend. Then the openness office drafts, approves and publishes the year's annual report and
the public reads it on the portal. Screenshots go to var/screenshots/disclosure-walk/."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.core import mail
from docx import Document

from gongkai.core import spam
from gongkai.core.samples import sample_bytes
from gongkai.disclosure.models import DisclosureRequest

from .conftest import PERSON, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("GONGKAI_SCREENSHOTS", "var/screenshots/disclosure-walk"))
THIRD_ID = "110102198001011239"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    # Wagtail's admin scrolls inside its own container: grow the window to the content for a whole-page picture
    height = page.evaluate(
        "Math.max(document.body.scrollHeight, document.querySelector('main')?.scrollHeight || 0)"
    )
    page.set_viewport_size({"width": 1280, "height": min(max(int(height) + 50, 720), 8000)})
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def compensation_docx() -> bytes:
    doc = Document()
    doc.add_paragraph("2023年度老旧小区综合整治项目清单")
    doc.add_paragraph(f"月坛街道三里河一区，居民代表李四，身份证号{THIRD_ID}。")
    doc.add_paragraph("项目资金：区级财政1200万元（含内部测算口径说明）。")
    doc.add_paragraph("物业联系电话 13900001111。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def submit(page, selector=None, *, role_name=None):
    """Clicks a submit button and waits for the page it leads to."""
    with page.expect_navigation():
        if role_name:
            page.get_by_role("button", name=role_name).click()
        else:
            page.click(selector)


def login(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "test-password-123")
    submit(page, role_name="登录")


def test_application_to_reply_with_documents_and_mails(
    browser_page,
    live_server,
    departments,
    seeded_calendar,
    calendar_ahead,
    officer,
    seal,
    make_policy,
    make_user,
    monkeypatch,
):
    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)
    policy = make_policy("关于老旧小区综合整治的实施意见", body="第一条 为推进老旧小区综合整治，制定本意见。")
    page = browser_page
    base = live_server.url
    mail.outbox.clear()
    today = datetime.date.today()

    # --- the applicant applies, giving an e-mail address
    page.goto(base + "/disclosure/")
    page.get_by_label("自然人").check()
    page.fill("#id_applicant_name", PERSON["applicant_name"])
    page.select_option("#id_id_type", "id_card")
    page.fill("#id_id_number", PERSON["id_number"])
    page.fill("#id_phone", PERSON["phone"])
    page.fill("#id_email", PERSON["email"])
    page.select_option("#id_department", str(departments["区发展改革委"].pk))
    page.fill("#id_information_title", "2023年度老旧小区综合整治项目清单")
    page.fill("#id_description", "西城区2023年度老旧小区综合整治的项目清单和资金安排")
    page.select_option("#id_information_form", "electronic")
    page.select_option("#id_delivery_method", "online")
    page.set_input_files(
        "#id_identity_proof", files=[{"name": "id.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_label("本人承诺所填信息真实有效").check()
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_selector("#query-code")
    number = page.inner_text("#tracking-number").strip()
    code = page.inner_text("#query-code").strip()
    shot(page, "01-applied")
    req = DisclosureRequest.objects.get(tracking_number=number)

    # --- the officer: confirm receipt, claim, preview the 补正告知书, edit it, send it
    officer_page = page.context.new_page()
    login(officer_page, base, officer.username)
    officer_page.goto(base + f"/admin/disclosure/{req.pk}/")
    submit(officer_page, role_name="确认收到")
    submit(officer_page, role_name="由我承办")
    assert "还有" in officer_page.inner_text("#deadline-box")
    officer_page.fill("#k-items", "请写明所需项目清单的年度和街道范围")
    officer_page.fill("#k-due", (today + datetime.timedelta(days=14)).isoformat())
    submit(officer_page, "#correction-form button[value=preview_correction]")
    body = officer_page.input_value("#k-body")
    assert "第三十条" in body and "请写明所需项目清单的年度和街道范围" in body
    officer_page.fill("#k-body", body + "\n联系电话：010-66001234（工作日）。")
    submit(officer_page, "#correction-form button[value=correction]")
    shot(officer_page, "02-correction-sent")
    notice = req.notices.get()
    assert notice.number in officer_page.content()

    # --- the applicant sees the correction and hands it in online
    page.goto(base + "/disclosure/track/")
    page.fill("#id_tracking_number", number)
    page.fill("#id_query_code", code)
    submit(page, role_name="查询")
    page.wait_for_selector("#correct")
    assert "补正" in page.inner_text("#deadline-text")
    assert notice.number in page.inner_text("#notices")
    page.fill("#id_text", "所需信息为2023年度月坛街道老旧小区综合整治项目清单。")
    page.set_input_files(
        "#id_files",
        files=[
            {"name": "补正说明.pdf", "mimeType": "application/pdf", "buffer": sample_bytes("pdf", "补正说明")}
        ],
    )
    shot(page, "03-correction-form")
    submit(page, role_name="提交补正")
    page.wait_for_selector("#correct-done")

    # --- the officer confirms it, consults the third party
    officer_page.goto(base + f"/admin/disclosure/{req.pk}/")
    assert "月坛街道老旧小区综合整治项目清单" in officer_page.inner_text("#submissions")
    submit(officer_page, role_name="确认收到补正")
    officer_page.select_option("#q-kind", "third_party")
    officer_page.fill("#q-party", "北京某物业管理有限公司")
    submit(officer_page, "#consult-form button[value=consult]")
    officer_page.wait_for_selector("#consultations")
    officer_page.select_option("select[id^=ca-]", "consent")
    officer_page.fill("input[id^=cs-]", "同意公开，但请隐去居民个人信息")
    submit(officer_page, role_name="登记意见")

    # --- the clock: extended before the deadline, with the approver and the reason, the 延期答复告知书 sent
    deadline_before = DisclosureRequest.objects.get(pk=req.pk).deadline
    officer_page.fill("#e-days", "10")
    officer_page.fill("#e-appr", "李主任")
    officer_page.fill("#e-reason", "需要调取多个科室的档案")
    submit(officer_page, "#extend-form button[value=extend]")
    req.refresh_from_db()
    assert req.extension_days == 10 and req.deadline > deadline_before
    extension = req.notices.get(kind="extension")
    assert extension.number in officer_page.content()
    shot(officer_page, "04a-extended")

    # --- the reply: 部分公开, an uploaded document redacted, a link to a published policy
    officer_page.select_option("#r-outcome", "partial")
    officer_page.fill("#r-reason", "项目资金的内部测算口径属于过程性信息（第十六条第二款）")
    submit(officer_page, role_name="按模板生成答复草稿")
    officer_page.wait_for_selector("#add-document")
    officer_page.set_input_files(
        "#ad-file",
        files=[
            {"name": "项目清单.docx", "mimeType": "application/octet-stream", "buffer": compensation_docx()}
        ],
    )
    submit(officer_page, "#add-document button")
    officer_page.wait_for_selector("#documents table")
    assert "发现敏感信息" in officer_page.inner_text("#documents")
    assert "须解决" in officer_page.inner_text("#blocking")
    officer_page.fill("textarea[id^=rw-]", "（含内部测算口径说明）")
    officer_page.fill("input[id^=rr-]", "居民个人信息；内部测算口径属于过程性信息")
    submit(officer_page, role_name="自动脱敏")
    assert "已脱敏" in officer_page.inner_text("#documents")
    officer_page.fill("#ap-policy", str(policy.pk))
    submit(officer_page, "#add-policy button")
    # a third party's phone in the letter: a medium finding, sent only with a reason
    officer_page.fill("#r-body", officer_page.input_value("#r-body") + "\n物业公司服务电话13900002222。")
    submit(officer_page, role_name="保存修改")
    shot(officer_page, "04-reply-with-documents")
    assert not officer_page.locator("#blocking").count()
    assert "手机号码" in officer_page.inner_text("#confirmable")
    submit(officer_page, role_name="加盖电子印章并答复")
    assert "确认理由" in officer_page.content()  # refused without a reason
    officer_page.fill("#s-confirm", "物业公司对外公布的服务电话，可以提供")
    submit(officer_page, role_name="加盖电子印章并答复")
    req.refresh_from_db()
    assert req.status == "replied" and req.outcome == "partial"
    shot(officer_page, "05-replied")

    # --- the applicant downloads the reply and the redacted copy
    page.goto(base + "/disclosure/track/")
    page.fill("#id_tracking_number", number)
    page.fill("#id_query_code", code)
    submit(page, role_name="查询")
    page.wait_for_selector("#reply")
    assert page.inner_text("#request-status") == "已答复"
    documents = page.inner_text("#documents")
    assert (
        "项目清单（脱敏件）" in documents and "区分处理及脱敏说明" in documents and policy.title in documents
    )
    shot(page, "06-tracking-reply")
    with page.expect_download() as info:
        page.get_by_role("link", name="项目清单（脱敏件）").click()
    text = "\n".join(p.text for p in Document(info.value.path()).paragraphs)
    assert THIRD_ID not in text and "110102********1239" in text and "内部测算口径" not in text
    assert "2023年度老旧小区综合整治项目清单" in text
    for value in (PERSON["id_number"], PERSON["phone"]):
        assert value not in page.content()

    # --- the mails, read from the mail backend
    to_applicant = [m for m in mail.outbox if m.to == [PERSON["email"]]]
    subjects = [m.subject for m in to_applicant]
    assert any("已收到您的政府信息公开申请" in s for s in subjects)
    assert any("请补正" in s for s in subjects)
    assert any("已收到您补正后的申请" in s for s in subjects)
    assert any("正在征求意见" in s for s in subjects)
    assert any("已答复" in s for s in subjects)
    assert any("延长" in s or "延期" in s for s in subjects)
    reply_mail = next(m for m in to_applicant if "已答复" in m.subject)
    assert reply_mail.attachments[0][0] == f"{req.reply.reply_number}.pdf"
    assert "项目清单（脱敏件）" in reply_mail.body and "/disclosure/file/" in reply_mail.body
    correction_mail = next(m for m in to_applicant if "请补正" in m.subject)
    assert correction_mail.attachments[0][0] == f"{notice.number}.pdf"
    # the link in the mail works in the browser
    link = next(
        line.split("：", 1)[1] for line in reply_mail.body.splitlines() if "项目清单（脱敏件）" in line
    )
    with page.expect_download() as info:
        page.evaluate(
            "url => { const a = document.createElement('a'); a.href = url; document.body.append(a); a.click(); }",
            link.replace("http://127.0.0.1:8000", base),
        )
    assert Path(info.value.path()).stat().st_size > 1000

    # --- the openness office produces the year's report: tables from the data, texts drafted, approved, published
    from gongkai.core import roles

    office = make_user(roles.OPENNESS_OFFICE, "区政务服务局", username="office")
    office_context = page.context.browser.new_context(locale="zh-CN")  # its own session, not the officer's
    office_page = office_context.new_page()
    login(office_page, base, office.username)
    year = req.received_date.year
    office_page.goto(base + f"/admin/disclosure/report/?year={year}")
    assert "未经复议直接起诉" in office_page.inner_text("#table4")
    submit(office_page, role_name="根据数据起草文字部分（只填空白部分）")
    assert "全年新收政府信息公开申请1件" in office_page.input_value("#id_overview")
    submit(office_page, role_name="批准定稿（冻结数据）")
    submit(office_page, role_name="在门户网站公布")
    assert office_page.inner_text("#report-status") == "已公布"
    shot(office_page, "07-annual-report-published")
    office_context.close()
    # a department's officer may open the report page of their department but not approve the district's
    officer_page.goto(base + f"/admin/disclosure/report/?year={year}")
    assert not officer_page.get_by_role("button", name="批准定稿（冻结数据）").count()

    # --- the public reads it on the portal
    page.goto(base + "/disclosure/annual-reports/")
    with page.expect_navigation():
        page.locator(f"section[aria-labelledby=y-{year}] a").first.click()
    assert "申请人情况" in page.content() and "复议后起诉" in page.content()
    shot(page, "08-portal-annual-report")
