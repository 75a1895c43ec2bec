"""Issue 11 in Chromium: portal and admin pages render with no Content-Security-Policy violation, Wagtail's editor
(inline panels, date pickers), preview and workflow screens keep working under the admin's policy, a public
question with an identity number is redacted and published through the screens, and a login is locked out after
repeated failures. Screenshots go to $GONGKAI_SCREENSHOTS (default: a temporary folder)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from gongkai.core import roles
from gongkai.core.samples import sample_upload

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Every violation in any frame is collected in the page that owns it.
COLLECT = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' @' + e.sourceFile + ':' + e.lineNumber);
});
"""
PASSWORD = "test-password-123"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def chromium(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def shots():
    folder = Path(os.environ.get("GONGKAI_SCREENSHOTS") or tempfile.mkdtemp(prefix="gongkai-i11-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def site(departments, make_user, make_policy, monkeypatch):
    from gongkai.core import spam
    from gongkai.policies import actions
    from gongkai.policies.models import InterpretationForm
    from gongkai.review.workflow import ensure_review_workflows

    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)
    ensure_review_workflows()
    people = {
        "drafter": make_user(roles.DRAFTER, "区发展改革委", username="drafter_fgw"),
        "officer": make_user(roles.DEPARTMENT_OFFICER, "区发展改革委", username="officer_fgw"),
        "admin": make_user(roles.ADMINISTRATOR, "区政务服务局", username="sysadmin", is_superuser=True),
    }
    policy = make_policy("西城区促进中小企业发展的若干措施", publish=False)
    actions.add_attachment(
        policy, actor=None, title="申报指南", file=sample_upload("申报指南.pdf", "申报指南")
    )
    policy = actions.publish_policy(policy, actor=None)
    item = actions.create_interpretation(
        actor=None,
        policies=[policy],
        title="一图读懂",
        form=InterpretationForm.GRAPHIC,
        first_interpreter="张",
        background="依据",
        objectives="目标",
        main_content="内容",
        innovations="创新",
        key_terms="术语",
        scope="范围",
        standards="标准",
        precautions="注意",
        image=sample_upload("图解.png"),
        image_alt="图解说明",
    )
    actions.approve_interpretation(item, actor=None)
    actions.publish_interpretation(item, actor=None)
    return {"people": people, "policy": policy, "interpretation": item}


def _page(browser, live_server, user=None):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1300, "height": 900})
    context.add_init_script(COLLECT)
    page = context.new_page()
    page.set_default_timeout(20_000)
    if user is not None:
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
    return context, page


def _violations(page) -> list[str]:
    found = list(page.evaluate("window.__csp"))
    for frame in page.frames[1:]:
        try:
            found += frame.evaluate("window.__csp || []")
        except Exception:  # noqa: BLE001 - a frame that is gone has nothing to report
            pass
    return found


def _visit(page, live_server, path, shots, name):
    response = page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert response.status == 200, (path, response.status)
    assert _violations(page) == [], (path, _violations(page))


def test_portal_pages_have_no_csp_violation(chromium, live_server, site, shots):
    context, page = _page(chromium, live_server)
    policy, item = site["policy"], site["interpretation"]
    for path, name in [
        ("/", "portal-home"),
        (policy.get_absolute_url(), "portal-policy"),
        ("/search/?q=中小企业", "portal-search"),
        (f"/review/interpretations/{item.pk}/", "portal-interpretation"),
        (f"/review/policies/{policy.pk}/ask/", "portal-ask"),
        ("/disclosure/", "portal-apply"),
        ("/disclosure/track/", "portal-track"),
        ("/plans/", "portal-plans"),
    ]:
        _visit(page, live_server, path, shots, name)
    # the picture of the interpretation is the public copy and loads
    page.goto(f"{live_server.url}/review/interpretations/{item.pk}/")
    assert page.locator("figure img").evaluate("img => img.naturalWidth") > 0
    # the attachment link is the public copy, a PDF download
    page.goto(live_server.url + policy.get_absolute_url())
    href = page.get_by_role("link", name="申报指南").get_attribute("href")
    assert href.startswith("/media/")
    response = page.request.get(live_server.url + href)
    # (Django's test server answers /media/ from MEDIA_ROOT itself; the headers of the real view are checked in
    # test_access_matrix.py through the WSGI application)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    context.close()


def test_admin_editor_preview_and_workflow_under_csp(chromium, live_server, site, shots):
    policy = site["policy"]
    context, page = _page(chromium, live_server, site["people"]["drafter"])
    for path, name in [
        ("/admin/", "admin-dashboard"),
        ("/admin/snippets/policies/policy/", "admin-policies"),
        ("/admin/interpretations/", "admin-interpretations"),
        ("/admin/policy-questions/", "admin-questions"),
        (f"/admin/review/policy/{policy.pk}/", "admin-review"),
    ]:
        _visit(page, live_server, path, shots, name)
    # the editor: date pickers and inline panels are inline scripts that carry the nonce
    _visit(page, live_server, f"/admin/snippets/policies/policy/edit/{policy.pk}/", shots, "admin-edit")
    page.get_by_role("tab", name="属性").click()
    page.locator("#id_written_date").click()
    page.locator(".xdsoft_datetimepicker").first.wait_for(state="visible")
    page.keyboard.press("Escape")
    # preview in the side panel's frame
    page.locator("[data-side-panel-toggle='preview']").click()
    frame = page.frame_locator("iframe").first
    assert policy.title in frame.locator("h1").first.inner_text()
    page.screenshot(path=str(shots / "admin-preview.png"))
    page.locator("[data-side-panel-toggle='preview']").click()
    page.get_by_role("tab", name="附件与关联").click()
    before = page.locator("input[type=file]").count()
    page.get_by_role("button", name="增加 附件").click()
    assert page.locator("input[type=file]").count() == before + 1
    page.screenshot(path=str(shots / "admin-inline-panel.png"))
    assert _violations(page) == []
    # the workflow: submit from the editor's action menu (reload first: the new empty attachment is not wanted)
    page.goto(f"{live_server.url}/admin/snippets/policies/policy/edit/{policy.pk}/")
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name="提交给政策前置审核").click()
    page.wait_for_load_state("networkidle")
    assert "submitted for moderation" in page.content() or "已提交" in page.content()
    assert _violations(page) == []
    context.close()
    # the department officer approves through Wagtail's modal (its form is loaded by script)
    context, page = _page(chromium, live_server, site["people"]["officer"])
    page.goto(f"{live_server.url}/admin/snippets/policies/policy/edit/{policy.pk}/")
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name="审核通过").click()
    dialog = page.locator(".modal-dialog").first
    dialog.wait_for(state="visible")
    assert "审核意见" in dialog.inner_text()
    page.screenshot(path=str(shots / "admin-workflow-modal.png"))
    assert _violations(page) == []
    context.close()


def test_public_question_with_an_identity_number_is_redacted_then_published(
    chromium, live_server, site, shots
):
    from gongkai.policies.models import PolicyQuestion

    policy = site["policy"]
    context, page = _page(chromium, live_server)
    page.goto(f"{live_server.url}/review/policies/{policy.pk}/ask/")
    page.fill("#id_question", "身份证号11010519491231002X，手机13912345678，我能申请补贴吗？")
    page.fill("#id_asker_contact", "13912345678")
    time.sleep(0.2)
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state("networkidle")
    assert "已收到" in page.content()
    context.close()
    item = PolicyQuestion.objects.get()
    assert item.scan_level == "high"

    context, page = _page(chromium, live_server, site["people"]["officer"])
    page.goto(f"{live_server.url}/admin/policy-questions/edit/{item.pk}/")
    assert "13912345678" in page.locator("#id_asker").input_value()  # the contact, for a private reply
    assert not page.locator("#id_publish").is_checked()  # 公开 not pre-ticked
    assert "公民身份号码" in page.content()
    page.fill("#id_answer", "符合条件的可以申请。")
    page.check("#id_publish")
    page.locator("footer button[type=submit], .actions button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert "请先脱敏" in page.content()
    page.screenshot(path=str(shots / "qa-blocked.png"), full_page=True)
    page.check("#id_auto_redact")
    page.fill("#id_redact_reason", "公开前遮蔽个人信息")
    page.fill("#id_answer", "符合条件的可以申请。")
    page.check("#id_publish")
    page.locator("footer button[type=submit], .actions button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert _violations(page) == []
    context.close()
    item.refresh_from_db()
    assert item.status == "published" and "11010519491231002X" not in item.question

    context, page = _page(chromium, live_server)
    page.goto(f"{live_server.url}/review/policies/{policy.pk}/ask/")
    html = page.content()
    assert "110105********002X" in html and "11010519491231002X" not in html and "13912345678" not in html
    page.screenshot(path=str(shots / "qa-published.png"), full_page=True)
    context.close()


def test_login_lockout_in_the_browser(chromium, live_server, site, shots, settings):
    context, page = _page(chromium, live_server)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("input[name=username]", "drafter_fgw")
        page.fill("input[name=password]", "wrong-password")
        page.click("button[type=submit]")
        page.wait_for_load_state()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "drafter_fgw")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "登录已被暂时锁定" in page.content()
    page.screenshot(path=str(shots / "login-locked.png"), full_page=True)
    context.close()
    context, page = _page(chromium, live_server, site["people"]["admin"])
    page.goto(f"{live_server.url}/admin/lockouts/")
    assert "drafter_fgw" in page.content()
    page.get_by_role("button", name="解除锁定").click()
    page.wait_for_load_state()
    assert "已解除" in page.content()
    page.screenshot(path=str(shots / "lockouts.png"), full_page=True)
    assert _violations(page) == []
    context.close()
