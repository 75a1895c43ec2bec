"""`gongkai serve` as production runs it: separate processes, production settings, a file database (or a
PostgreSQL database of its own when the suite runs on PostgreSQL)."""

import re
import signal
import time

import pytest

from .serverkit import get, get_json

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("server")]

PUBLISH = """
import datetime
from gongkai.core.models import Department
from gongkai.core.samples import sample_upload
from gongkai.core.storage import public_url
from gongkai.policies import actions
from gongkai.policies.models import PolicyAttachment
issuer = Department.objects.get(short_name="区发展改革委")
policy = actions.create_policy(
    actor=None, title={title!r}, issuer=issuer, body="第一条 为了测试，制定本办法。",
    written_date=datetime.date(2024, 3, 1), publish_date=datetime.date(2024, 3, 5),
)
# Through the action (the upload validator; the attachment joins the policy's latest revision).
actions.add_attachment(policy, actor=None, title="附件一", file=sample_upload("附件一.pdf"))
policy = actions.publish_policy(policy, actor=None)
attachment = PolicyAttachment.objects.get(policy=policy)
# The public copy's address (the stored file itself is private: its .url is a staff link).
print("RESULT", policy.pk, public_url(attachment.file))
"""


@pytest.fixture
def sites(site_factory):
    made = []

    def new():
        site = site_factory.new()
        made.append(site)
        return site

    yield new
    for site in made:
        site.destroy()


def publish(site, title):
    output = site.python(PUBLISH.format(title=title))
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    _tag, pk, url = line.split()
    return int(pk), url


def test_serve_answers_as_in_production(sites):
    site = sites()
    pk, attachment_url = publish(site, "关于测试生产服务器的通知")
    proc, port, log = site.serve(workers=2)

    status, body = get_json(port, "/healthz")
    assert status == 200 and body["status"] == "ok"

    # Through a TLS proxy on this machine: 200, not a redirect to https.
    status, headers, html = get(port, "/", {"X-Forwarded-Proto": "https"})
    assert status == 200, headers
    page = html.decode()
    assert "关于测试生产服务器的通知" in page

    # Anonymous pages set no cookie.
    for path in [
        "/",
        "/policies/",
        f"/policies/{pk}/",
        "/normative/",
        "/search/?q=%E6%B5%8B%E8%AF%95",
        "/feed/",
        "/sitemap.xml",
    ]:
        status, headers, _body = get(port, path)
        assert status == 200, path
        assert "Set-Cookie" not in headers, path
        assert "ETag" in headers and "Last-Modified" in headers, path

    # A static file by its hashed name, compressed, cached for a long time.
    css = re.search(r'href="(/static/portal/site\.[0-9a-f]{12}\.css)"', page)
    assert css, "the page links the hashed static file"
    status, headers, body = get(port, css.group(1), {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers["Cache-Control"]

    # The public attachment of a published policy: its public copy, served by the media view (core/storage.py).
    assert attachment_url.startswith("/media/"), attachment_url
    status, headers, body = get(port, attachment_url)
    assert status == 200 and body.startswith(b"%PDF")
    assert headers["Content-Type"] == "application/pdf" and headers["X-Content-Type-Options"] == "nosniff"

    # The Chinese 404 page with the site's header, footer and a way back.
    status, headers, body = get(port, "/no-such-page/")
    text = body.decode()
    assert status == 404
    assert "页面不存在" in text and 'class="site-header"' in text and 'class="site-footer"' in text
    assert 'href="/"' in text

    # Graceful restart: the server keeps answering while new workers (new code, re-prepared static files) start.
    booted_before = log.read_text().count("Booting worker")
    proc.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 180
    while log.read_text().count("Booting worker") < booted_before + 2:
        assert time.monotonic() < deadline, log.read_text()
        status, _h, _b = get(port, "/healthz")
        assert status == 200
        time.sleep(0.5)
    # SIGTERM: clean stop (requests in flight may take up to the 30 s graceful timeout).
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=90) == 0
    output = log.read_text()
    assert '"GET /healthz HTTP/1.1" 200' in output  # access log on standard output
    assert "Handling signal: hup" in output.lower() or "hang up" in output.lower()
    assert "Traceback" not in output


SEARCH = "/search/?q=%E5%8F%AF%E8%A7%81%E7%9A%84%E6%94%BF%E7%AD%96&sort=relevance"  # 可见的政策


def test_publication_visible_at_once_in_a_second_server_process(sites):
    site = sites()
    _a, port_a, _la = site.serve()
    # The first server's start checked the database and collected the static files; the second one skips that
    # step (a Python process of its own, 2–3 s of CPU) and starts its worker on the same site.
    _b, port_b, _lb = site.serve(extra=("--no-prepare",))
    decoy, _url = publish(site, "另一份可见的政策")  # so that the search page below has a hit and is stored
    for port in (port_a, port_b):
        for path in ("/policies/", SEARCH):
            for _ in range(2):  # the second answer comes from the page cache (search: the process's own copy)
                status, headers, body = get(port, path)
                assert status == 200
            assert headers.get("X-Page-Cache") == "hit", path
            assert "第二个进程可见的政策" not in body.decode()
    pk, _url = publish(site, "第二个进程可见的政策")
    for port in (port_b, port_a):
        status, _headers, body = get(port, "/policies/")
        assert "第二个进程可见的政策" in body.decode(), port
        status, _headers, body = get(port, f"/policies/{pk}/")
        assert status == 200
        status, headers, body = get(port, SEARCH)
        assert status == 200 and headers.get("X-Page-Cache") == "miss", port
        assert "第二个进程" in body.decode(), port
    site.python(
        f"from gongkai.policies import actions\nfrom gongkai.policies.models import Policy\n"
        f"actions.unpublish_policy(Policy.objects.get(pk={pk}), actor=None, reason='测试撤回')"
    )
    for port in (port_a, port_b):
        status, _headers, body = get(port, "/policies/")
        assert "第二个进程可见的政策" not in body.decode()
        status, _headers, _body = get(port, f"/policies/{pk}/")
        assert status == 404
        status, _headers, body = get(port, SEARCH)
        assert "第二个进程" not in body.decode() and f"/policies/{decoy}/" in body.decode(), port


def test_serve_refuses_an_unmigrated_database(tmp_path):
    from .serverkit import Site

    site = Site(tmp_path, None)
    site.env.pop("DATABASE_URL", None)
    result = site.run("serve", "--bind", "127.0.0.1:1", check=False, timeout=120)
    assert result.returncode != 0
    assert "gongkai migrate" in result.stderr
