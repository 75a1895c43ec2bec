"""Issue 16, item 3 in Chromium: the English site on demo-like data.

- Every public page type in English (reached by following the links from the English home page, at most
  `PER_SHAPE` pages of a URL shape), plus the pages only a form or a typed address reaches (search, a search
  without results, a failed form, 404): `<html lang="en">`, no Chinese text outside an element tagged
  `lang="zh-Hans"` (tests/english.py), no serious or critical axe-core violation. axe runs on the first page
  of each URL shape (the second renders the same template with other data: the untagged-Chinese check, which
  depends on the data, runs on both); a page axe checks costs ~1 s of Chromium's CPU.
- The visitor's walk: a filtered search in Chinese → English (same path, query and results) → browse → back to
  Chinese, with no cookie on any page but the switch's.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.axe import serious_violations
from tests.english import untagged_chinese

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PER_SHAPE = 2
MAX_PAGES = 400  # a bound against a runaway crawl; the test fails if it is reached (pages left unchecked)
SKIP = re.compile(
    r"^/(admin|api|media|static|documents|i18n|healthz|feed|sitemap\.xml)"
    r"|/(file|reply|evidence)/|\.(docx|pdf|xlsx|xls|csv|zip|xml|json|txt|ofd)$|/report\.|/usage/"
)


@pytest.fixture
def demo_site(settings, tmp_path, django_capture_on_commit_callbacks):
    """The demo data (`gongkai demo-data` without the law corpus): departments, demo policies and every app's
    demo step, the English names and titles included."""
    from gongkai import demo_data
    from gongkai.core.demo_steps import run_demo_steps

    settings.VAR_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        demo_data.load_base()
        demo_data.ensure_admin(tmp_path / "demo-login.txt")
        demo_data.load_demo_policies()
        lines = run_demo_steps()
    return lines


def _shape(url: str) -> str:
    """A page type: the path with numbers as N, and which single parameter it has. Pages with two or more
    parameters (filter combinations) are one shape per path: they show the same interface as one filter does."""
    parts = urlsplit(url)
    keys = sorted({k for k, _v in parse_qsl(parts.query)})
    return re.sub(r"\d+", "N", parts.path) + "?" + (keys[0] if len(keys) == 1 else "*" if keys else "")


def _english(page, base):
    host = urlsplit(base).hostname
    page.context.add_cookies([{"name": "django_language", "value": "en", "domain": host, "path": "/"}])


def _check(page, problems: list[str], label: str, axe: bool = True):
    lang = page.evaluate("document.documentElement.lang")
    if lang != "en":
        problems.append(f"{label}: <html lang={lang!r}>")
    for line in untagged_chinese(page):
        problems.append(f"{label}: untagged Chinese: {line}")
    for line in serious_violations(page) if axe else ():
        problems.append(f"{label}: axe: {line}")


def test_every_public_page_type_in_english(browser_page, live_server, demo_site, tmp_path):
    page, base = browser_page, live_server.url
    _english(page, base)
    problems: list[str] = []
    seen_shapes: dict[str, int] = {}
    visited: list[str] = []
    axe_checked: set[str] = set()  # the URL shapes whose first page axe has checked
    queue = deque(["/"])
    queued = {"/"}
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        response = page.goto(base + path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        visited.append(path)
        if response.status >= 500:
            problems.append(f"{path}: HTTP {response.status}")
            continue
        shape = _shape(path)
        _check(page, problems, path, axe=shape not in axe_checked)
        axe_checked.add(shape)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            if parts.netloc != urlsplit(base).netloc:
                continue
            target = parts.path + ("?" + parts.query if parts.query else "")
            if target in queued or SKIP.search(parts.path) or "care=" in parts.query:
                continue
            shape = _shape(target)
            if seen_shapes.get(shape, 0) >= PER_SHAPE:
                continue
            seen_shapes[shape] = seen_shapes.get(shape, 0) + 1
            queued.add(target)
            queue.append(target)
    # Pages no link leads to: a search, a search without results, 404, a form sent empty.
    for path in [
        "/search/?q=补贴",
        "/search/?q=补贴&year=1990",
        "/search/?q=补贴呜哩哇啦咕噜",
        "/search/?q=补",
        "/no-such-page/",
    ]:
        page.goto(base + path)
        _check(page, problems, path)
    for path, submit in [
        ("/disclosure/", "form.apply-form button[type=submit], main form button[type=submit]")
    ]:
        page.goto(base + path)
        page.evaluate("document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))")
        page.locator(submit).last.click()
        page.wait_for_load_state()
        _check(page, problems, path + " (sent empty)")
    page.screenshot(path=str(tmp_path / "english-last.png"), full_page=True)
    sections = {p.split("/")[1] for p in visited}
    assert {
        "policies",
        "search",
        "normative",
        "sitemap",
        "disclosure",
        "review",
        "redemption",
        "plans",
        "openness",
        "consultation",
    } <= sections, sorted(sections)
    assert not queue, f"{len(queue)} pages left unchecked after {MAX_PAGES}: raise MAX_PAGES or PER_SHAPE"
    print(f"{len(visited)} pages checked")
    unique = {}
    for line in problems:  # one line per distinct problem, with the first page that has it
        unique.setdefault(line.partition(": ")[2], line)
    assert not unique, f"{len(unique)} distinct problems on {len(visited)} pages:\n" + "\n".join(
        unique.values()
    )


def test_visitor_switches_a_filtered_search_to_english_browses_and_switches_back(
    browser_page, live_server, make_policy, tmp_path
):
    import datetime

    from gongkai.policies import actions

    policy = make_policy(
        "关于推进适老化改造的实施意见",
        body="第一条 推进居家适老化改造。",
        written_date=datetime.date(2024, 3, 1),
        publish_date=datetime.date(2024, 3, 5),
    )
    draft = actions.update_policy(
        policy,
        actor=None,
        title_en="Opinions on Adapting Homes for Older People",
        summary_en="Support for adapting the homes of older residents.",
    )
    actions.publish_policy(draft, actor=None)
    make_policy(
        "养老服务补贴办法",
        body="适老化改造补贴。",
        written_date=datetime.date(2023, 4, 20),
        publish_date=datetime.date(2023, 5, 1),
    )
    page, base = browser_page, live_server.url
    page.goto(base + "/search/?q=适老化&year=2024")
    assert page.locator("#results-heading").inner_text() == "找到 1 件相关文件"
    assert page.context.cookies() == []  # an anonymous visitor gets no cookie
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.url == base + "/search/?q=%E9%80%82%E8%80%81%E5%8C%96&year=2024"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("#results-heading").inner_text() == "1 matching document found"
    assert page.input_value("#search-q") == "适老化"
    assert [c["name"] for c in page.context.cookies()] == ["django_language"]
    assert untagged_chinese(page) == [] and serious_violations(page) == []
    page.screenshot(path=str(tmp_path / "english-search.png"), full_page=True)
    # browse: the result (English title first, the Chinese title tagged), then the English list
    page.click(".policy-item a")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Opinions on Adapting Homes for Older People")
    assert page.locator("h1 .title-zh").get_attribute("lang") == "zh-Hans"
    assert page.locator(".body").get_attribute("lang") == "zh-Hans"
    assert "Support for adapting the homes of older residents." in page.inner_text("main")
    assert untagged_chinese(page) == [] and serious_violations(page) == []
    page.screenshot(path=str(tmp_path / "english-policy.png"), full_page=True)
    page.click("nav .nav >> text=Policies in English")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Policies in English"
    assert page.locator(".policy-item").count() == 1
    assert untagged_chinese(page) == []
    page.click("nav .nav >> text=Policy documents")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.lang") == "en"  # remembered on the next pages
    # and back to Chinese, on the same page
    here = page.url
    page.click("button[name=language][value=zh-hans]")
    page.wait_for_load_state()
    assert page.url == here and page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "政策文件"
    page.screenshot(path=str(tmp_path / "back-to-chinese.png"), full_page=True)
