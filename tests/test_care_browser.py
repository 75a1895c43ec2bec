"""Issue 16 in Chromium: the 关怀版 switch on a filtered search, care-mode sizes and tools, 320 px reflow in both
modes, the phone layout with folded filters, the numbered pager, and axe-core on the page types."""

import datetime

import pytest

from tests.axe import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(make_policy, monkeypatch):
    from gongkai.policies import actions
    from gongkai.policies.models import RelationKind
    from gongkai.portal import views

    monkeypatch.setattr(
        views, "PER_PAGE", 5
    )  # three pages from a dozen documents (the live server is a thread)

    first = make_policy(
        "关于推进适老化改造的实施意见",
        doc_number="西民发〔2024〕2号",
        body="第一条 推进居家适老化改造。\n第二条 对困难老年人家庭给予补贴。",
        effective_date=datetime.date(2024, 4, 1),
    )
    make_policy(
        "养老服务补贴办法",
        body="结合适老化改造工作发放补贴。",
        department="区民政局",
        written_date=datetime.date(2023, 4, 20),
        publish_date=datetime.date(2023, 5, 1),
    )
    for i in range(10):
        make_policy(
            f"区级年度重点工作安排第{i + 1}号文件关于统筹推进营商环境优化提升的若干措施",
            doc_number=f"西政办发〔{2008 + i}〕{i + 1}号",
            body="工作安排。",
            written_date=datetime.date(2008 + i, 3, 1),
            publish_date=datetime.date(2008 + i, 3, 2),
        )
    old = make_policy(
        "旧的适老化补贴办法", written_date=datetime.date(2014, 12, 1), publish_date=datetime.date(2015, 1, 1)
    )
    actions.add_relation(first, old, RelationKind.REPEALS, actor=None)
    return {"first": first, "old": old}


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_care_toggle_keeps_the_filtered_search_and_stays_on(browser_page, live_server, site, tmp_path):
    page = browser_page
    page.goto(live_server.url + "/search/?q=适老化&year=2024")
    assert page.locator("#results-heading").inner_text() == "找到 1 件相关文件"
    page.click("text=关怀版")
    page.wait_for_load_state()
    assert page.url.endswith("/search/?q=%E9%80%82%E8%80%81%E5%8C%96&year=2024")
    assert page.evaluate("document.documentElement.classList.contains('care')")
    assert page.locator("#results-heading").inner_text() == "找到 1 件相关文件"
    assert page.input_value("#search-q") == "适老化"
    page.screenshot(path=str(tmp_path / "care-search.png"), full_page=True)
    page.click(".policy-item a")  # the next page keeps the mode
    assert page.evaluate("document.documentElement.classList.contains('care')")
    page.click("text=退出关怀版")
    page.wait_for_load_state()
    assert not page.evaluate("document.documentElement.classList.contains('care')")
    assert "/policies/" in page.url


def test_care_mode_sizes_tools_and_reading(browser_page, live_server, site, tmp_path):
    page = browser_page
    # a stand-in speech engine records what would be spoken (headless Chromium has no voices)
    page.add_init_script(
        """window.__spoken = [];
        Object.defineProperty(window, "speechSynthesis", {configurable: true,
            value: {speak: u => window.__spoken.push([u.text, u.lang]), cancel: () => {}}});"""
    )
    page.goto(live_server.url + "/policies/?care=1")
    sizes = page.evaluate(
        """() => [...document.querySelectorAll(`input:not([type=hidden]), select, button, summary, label,
                .nav a, .facet a, .pager a, .care-toggle, .policy-title a, .policy-meta, th, td`)]
            .filter(el => el.offsetParent !== null)
            .map(el => {const r = el.getBoundingClientRect(), s = getComputedStyle(el);
                        return [el.tagName + '.' + el.className + ':' + (el.textContent || el.name || '').trim().slice(0, 12),
                                parseFloat(s.fontSize), r.height, el.matches('input[type=radio]')]})"""
    )
    assert sizes
    small_text = [s for s in sizes if s[1] < 18 and not s[3]]
    assert not small_text, small_text
    targets = page.evaluate(
        """() => [...document.querySelectorAll(`input:not([type=hidden]):not([type=radio]), select, button,
                summary, .nav a, .facet a, .pager a, .care-toggle`)]
            .filter(el => el.offsetParent !== null)
            .map(el => [el.tagName + ':' + (el.textContent || el.name || '').trim().slice(0, 12),
                        el.getBoundingClientRect().height])"""
    )
    small_targets = [t for t in targets if t[1] < 44]
    assert not small_targets, small_targets
    # one column: the results start below the (folded) filters, not beside them
    assert page.locator("#filters").evaluate("d => d.open") is False
    facets, results = page.locator(".facets").bounding_box(), page.locator(".results").bounding_box()
    assert results["y"] >= facets["y"] + facets["height"] - 1 and results["x"] == pytest.approx(
        facets["x"], abs=2
    )
    page.screenshot(path=str(tmp_path / "care-list.png"), full_page=True)

    # high contrast and large pointer: pressed, applied, remembered on the next page
    page.click("[data-care-option=contrast]")
    page.click("[data-care-option=pointer]")
    assert page.get_attribute("[data-care-option=contrast]", "aria-pressed") == "true"
    page.goto(live_server.url + site["first"].get_absolute_url())
    classes = page.evaluate("document.documentElement.className")
    assert "contrast" in classes and "big-pointer" in classes
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    assert "data:image/svg+xml" in page.evaluate("getComputedStyle(document.body).cursor")
    page.screenshot(path=str(tmp_path / "care-contrast.png"), full_page=True)
    assert not serious_violations(page)

    # read aloud: the main content, sentence by sentence, in Chinese
    page.click("[data-read-aloud]")
    spoken = page.evaluate("window.__spoken")
    assert spoken and all(lang == "zh-CN" for _t, lang in spoken)
    assert any("推进居家适老化改造" in text for text, _l in spoken)
    assert page.inner_text("[data-read-aloud]") == "停止朗读"
    page.click("[data-care-option=contrast]")  # off again
    page.reload()
    assert "contrast" not in page.evaluate("document.documentElement.className")


PAGES = ["/", "/policies/", "/normative/", "/search/?q=适老化", "/sitemap/", "/no-such-page/"]


@pytest.mark.parametrize("care", [False, True], ids=["standard", "care"])
def test_320_px_reflow_and_axe(browser_page, live_server, site, care, tmp_path):
    page = browser_page
    page.set_viewport_size({"width": 320, "height": 640})
    if care:
        page.goto(live_server.url + "/?care=1")
    paths = PAGES + [
        site["first"].get_absolute_url(),
        site["old"].get_absolute_url(),
        "/search/?q=区级&page=2",
    ]
    for path in paths:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.classList.contains('care')") is care
        assert _overflow(page) <= 1, (path, _overflow(page))
        if path == "/search/?q=区级&page=2":  # the open 高级检索 form must fit as well
            page.click(".advanced > summary")
            wide = page.evaluate(
                """() => [...document.querySelectorAll('main *')]
                    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
                    .map(el => el.tagName + '.' + el.className + '#' + el.id).slice(0, 5)"""
            )
            assert _overflow(page) <= 1, (path, "advanced", wide)
        violations = serious_violations(page)
        assert not violations, (path, violations)
    page.screenshot(path=str(tmp_path / f"320-{care}.png"), full_page=True)


def test_phone_layout_folds_the_filters(browser_page, live_server, site, tmp_path):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(live_server.url + "/policies/")
    assert page.locator("#filters").evaluate("d => d.open") is False
    first = page.locator(".policy-item").first.bounding_box()
    assert first["y"] < 667, first  # the first result is on the first screen
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=False)
    page.click("#filters > summary")
    page.locator(".facet a", has_text="2023").first.click()
    page.wait_for_url("**year=2023**")
    assert page.locator(".policy-item").count() >= 1
    assert "已选 1 项" in page.inner_text("#filters > summary")
    # on a desktop the filters are open beside the results
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/policies/")
    assert page.locator("#filters").evaluate("d => d.open") is True


def test_numbered_pager(browser_page, live_server, site):
    page = browser_page
    page.goto(live_server.url + "/policies/?department=" + str(site["first"].issuer_id))
    pager = page.locator("nav.pager")
    assert "第 1 / 3 页" in pager.inner_text()
    pager.locator("a", has_text="尾页").click()
    assert "第 3 / 3 页" in page.locator("nav.pager").inner_text()
    assert "department=" in page.url  # filters kept
    page.fill(".pager-jump input[name=page]", "2")
    page.click(".pager-jump button")
    assert "第 2 / 3 页" in page.locator("nav.pager").inner_text() and "department=" in page.url
    assert "2" in page.locator("nav.pager [aria-current=page]").inner_text()
    page.goto(live_server.url + "/policies/?page=999")
    assert "没有第 999 页" in page.inner_text("main") and "第 3 / 3 页" in page.inner_text("nav.pager")
