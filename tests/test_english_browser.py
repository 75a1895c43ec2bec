"""Issue 16, item 3 in Chromium: the English site on demo-like data.

- Every public page type in English (reached by following the links from the English home page, at most
  `PER_SHAPE` pages of a URL shape), plus the pages only a form or a typed address reaches (search, a search
  without results, a failed form, 404): `<html lang="en">`, no Chinese text outside an element tagged
  `lang="zh-Hans"` (tests/english.py), no serious or critical axe-core violation.
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
MAX_PAGES = 150
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
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path) + "?" + ",".join(sorted(k for k, _v in parse_qsl(parts.query)))


def _english(page, base):
    host = urlsplit(base).hostname
    page.context.add_cookies([{"name": "django_language", "value": "en", "domain": host, "path": "/"}])


def _check(page, problems: list[str], label: str):
    lang = page.evaluate("document.documentElement.lang")
    if lang != "en":
        problems.append(f"{label}: <html lang={lang!r}>")
    for line in untagged_chinese(page):
        problems.append(f"{label}: untagged Chinese: {line}")
    for line in serious_violations(page):
        problems.append(f"{label}: axe: {line}")


def test_every_public_page_type_in_english(browser_page, live_server, demo_site, tmp_path):
    page, base = browser_page, live_server.url
    _english(page, base)
    problems: list[str] = []
    seen_shapes: dict[str, int] = {}
    visited: list[str] = []
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
        _check(page, problems, path)
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
    for path in ["/search/?q=补贴", "/search/?q=补贴呜哩哇啦咕噜", "/search/?q=补", "/no-such-page/"]:
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
    } <= sections, sorted(sections)
    unique = {}
    for line in problems:  # one line per distinct problem, with the first page that has it
        unique.setdefault(line.partition(": ")[2], line)
    assert not unique, f"{len(unique)} distinct problems on {len(visited)} pages:\n" + "\n".join(
        unique.values()
    )
