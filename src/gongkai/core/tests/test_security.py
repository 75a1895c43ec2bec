"""Headers, trusted proxies, `check --deploy`, login lockout (issue 11, items 3 and 4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

from gongkai.core import roles
from gongkai.core.proxies import TrustedProxyMiddleware, forwarded_client, is_trusted_proxy

SRC = str(Path(__file__).resolve().parents[3])


def _through(request):
    seen = {}

    def view(req):
        seen.update(addr=req.META["REMOTE_ADDR"], secure=req.is_secure(), peer=req.META["GONGKAI_PEER_ADDR"])

    TrustedProxyMiddleware(view)(request)
    return seen


def test_forwarded_headers_trusted_only_from_configured_proxies(settings):
    rf = RequestFactory()
    seen = _through(
        rf.get(
            "/",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",
            HTTP_X_FORWARDED_PROTO="https",
        )
    )
    # the right-most address the proxy appended, not what the client wrote further left
    assert seen == {"addr": "203.0.113.9", "secure": True, "peer": "127.0.0.1"}
    seen = _through(
        rf.get(
            "/", REMOTE_ADDR="198.51.100.5", HTTP_X_FORWARDED_FOR="10.0.0.1", HTTP_X_FORWARDED_PROTO="https"
        )
    )
    assert seen == {"addr": "198.51.100.5", "secure": False, "peer": "198.51.100.5"}
    settings.GONGKAI_TRUSTED_PROXIES = ["10.1.0.0/16"]
    assert is_trusted_proxy("10.1.2.3") and not is_trusted_proxy("127.0.0.1") and not is_trusted_proxy("junk")
    # a chain of trusted proxies: skip them all
    assert forwarded_client("10.1.0.1", "203.0.113.1, 10.1.0.7") == "203.0.113.1"
    assert forwarded_client("10.1.0.1", "not-an-address") == "10.1.0.1"


def test_production_answers_the_proxy_and_redirects_plain_http(production_settings, db):
    client = Client()
    # from the local TLS proxy with X-Forwarded-Proto: https -> answered, with HSTS
    response = client.get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="gongkai.example.gov.cn"
    )
    assert response.status_code == 200
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    # plain HTTP, or a client that only claims HTTPS -> redirected to HTTPS
    response = client.get("/", REMOTE_ADDR="127.0.0.1", HTTP_HOST="gongkai.example.gov.cn")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    response = client.get(
        "/", REMOTE_ADDR="198.51.100.5", HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="gongkai.example.gov.cn"
    )
    assert response.status_code == 301


def test_admin_has_its_own_policy(production_settings, admin_user):
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(admin_user)
    response = client.get("/admin/")
    csp = response["Content-Security-Policy"]
    assert response.status_code == 200 and "frame-ancestors 'none'" in csp
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    assert response["X-Frame-Options"] == "DENY"


def test_check_deploy_prints_no_warning(tmp_path):
    """`gongkai check --deploy` with the production settings, in a subprocess, as an operator runs it."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongkai.settings.production",
        "SECRET_KEY": "Zq8@t!" + "k3Vn9sLw2XpR7yHc4JmB6dFa1GuTe5Ko" * 2,
        "ALLOWED_HOSTS": "gongkai.example.gov.cn",
        "GONGKAI_VAR_DIR": str(tmp_path),
        "PYTHONPATH": SRC,
    }
    for name in ("DEBUG", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "DATABASE_URL"):
        env.pop(name, None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from gongkai.cli import main; main(['gongkai', 'check', '--deploy', '--fail-level', 'WARNING'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)" in output
    assert "WARNING" not in output


def test_served_roots_never_contain_private_data(settings, tmp_path):
    from gongkai.core.security import check_served_roots

    assert check_served_roots() == []
    # a served root that holds the private storage (and only that: a checkout under /tmp puts var/ there too)
    settings.GONGKAI_PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path)
    assert [e.id for e in check_served_roots()] == ["gongkai.E102"]


# --- login lockout ------------------------------------------------------------------------------------------------


def _login(client, username, password):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR="203.0.113.20"
    )


@pytest.mark.django_db
def test_lockout_after_repeated_failures_then_unlock(make_user, admin_user, settings):
    from gongkai.core.models import AuditEntry
    from gongkai.core.security import current_lockouts, unlock_login

    user = make_user(roles.DRAFTER, username="wang")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "wang", "wrong").status_code == 200  # the form again, with an error
    response = _login(client, "wang", "wrong")
    assert response.status_code == 429 and "登录已被暂时锁定" in response.content.decode()
    # the right password does not help while locked out
    response = _login(client, "wang", "test-password-123")
    assert response.status_code == 429
    assert not client.session.get("_auth_user_id")
    # another address is not locked (an office behind one address is not locked out by one person)
    other = Client()
    assert (
        other.post(
            "/admin/login/", {"username": "wang", "password": "test-password-123"}, REMOTE_ADDR="203.0.113.21"
        ).status_code
        == 302
    )
    entry = AuditEntry.objects.get(action="auth.locked_out")
    assert entry.object_id == str(user.pk) and entry.after["ip_address"] == "203.0.113.20"
    # the administrator sees and lifts the lockout; it is audited
    admin = Client()
    admin.force_login(admin_user)
    page = admin.get("/admin/lockouts/")
    assert page.status_code == 200 and "wang" in page.content.decode()
    attempt = current_lockouts().get()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        unlock_login(attempt, actor=user)
    response = admin.post("/admin/lockouts/", {"attempt": attempt.pk})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="auth.unlocked", actor=admin_user).exists()
    assert _login(client, "wang", "test-password-123").status_code == 302


@pytest.mark.django_db
def test_lockouts_page_is_for_administrators_only(make_user):
    client = Client()
    client.force_login(make_user(roles.OPENNESS_OFFICE, "区政务服务局"))
    assert client.get("/admin/lockouts/").status_code in (302, 403)


@pytest.mark.django_db
def test_password_reset_is_rate_limited(make_user, settings):
    from django.core import mail

    make_user(roles.DRAFTER, username="li", email="li@example.org")
    settings.GONGKAI_RATE_LIMITS = {"auth.password_reset": [2, 3600]}
    client = Client(REMOTE_ADDR="203.0.113.30")
    for _ in range(2):
        assert client.post("/admin/password_reset/", {"email": "li@example.org"}).status_code == 302
    response = client.post("/admin/password_reset/", {"email": "li@example.org"})
    assert response.status_code == 429 and "过于频繁" in response.content.decode()
    assert len(mail.outbox) == 2
