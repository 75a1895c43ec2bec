"""In a real Chromium: apply on the portal, follow the request with the query code, see the reply."""

import datetime
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.disclosure import actions
from gongkai.disclosure.models import DisclosureRequest
from gongkai.disclosure.outcomes import Outcome

from .conftest import png_bytes

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed"),
]


@pytest.fixture
def browser_page(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test talks to the database from it too.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(locale="zh-CN")
        yield page
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_apply_track_and_see_reply(
    live_server, browser_page, departments, seeded_calendar, officer, seal, monkeypatch
):
    from gongkai.core import spam

    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)
    page = browser_page
    page.goto(live_server.url + "/")
    page.goto(live_server.url + "/disclosure/")
    assert page.get_by_role("heading", name="政府信息公开申请").is_visible()
    page.get_by_label("自然人").check()
    page.fill("#id_applicant_name", "李四")
    page.select_option("#id_id_type", "id_card")
    page.fill("#id_id_number", "11010519491231002X")
    page.fill("#id_phone", "13900001111")
    page.fill("#id_email", "lisi@example.com")
    page.select_option("#id_department", str(departments["区发展改革委"].pk))
    page.fill("#id_information_title", "2024年区级财政专项资金分配结果")
    page.fill("#id_description", "请提供2024年区级产业发展专项资金的分配结果")
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
    assert number.startswith(f"{datetime.date.today().year}-")

    # staff handle it through the same actions the admin uses
    req = DisclosureRequest.objects.get(tracking_number=number)
    today = datetime.date.today()
    actions.confirm_receipt(req, actor=officer, day=today)
    actions.claim_request(req, actor=officer)
    reply = actions.draft_reply(req, actor=officer, outcome=Outcome.DISCLOSED)
    # the letter says 见附件: the information provided goes with it
    actions.add_released_file(
        reply,
        actor=officer,
        file=SimpleUploadedFile(
            "分配结果.txt", "2024年区级产业发展专项资金分配结果：共3个项目。".encode(), "text/plain"
        ),
    )
    actions.send_reply(reply, actor=officer, day=today)

    page.get_by_role("link", name="查询办理进度").first.click()
    page.fill("#id_tracking_number", number)
    page.fill("#id_query_code", code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("#reply")
    assert page.inner_text("#request-status") == "已答复"
    reply_text = page.inner_text("#reply")
    assert "予以公开" in reply_text and "六十日内" in reply_text
    assert "李四" not in page.content() and "11010519491231002X" not in page.content()
    with page.expect_download() as info:
        page.get_by_role("link", name="下载答复告知书（PDF，含电子签章）").click()
    path = info.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")
    assert os.path.getsize(path) > 1000
