"""Fixtures of the cross-app tests: the production settings applied in-process."""

import importlib
import os
import sys

import pytest

# What the production settings module decides about serving and security; the rest (database, folders, mail)
# stays the test settings'.
PRODUCTION_NAMES = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "MIDDLEWARE",
    "CONTENT_SECURITY_POLICY",
    "GONGKAI_ADMIN_CSP_DIRECTIVES",
    "GONGKAI_TRUSTED_PROXIES",
    "STORAGES",
]


@pytest.fixture
def production_settings(settings, monkeypatch):
    """`gongkai.settings.production` as loaded in production (environment: a secret key and a host), its serving
    and security settings applied to this test's settings."""
    monkeypatch.setenv("SECRET_KEY", "a-production-like-secret-key-" + "x" * 40)
    monkeypatch.setenv("ALLOWED_HOSTS", "gongkai.example.gov.cn")
    sys.modules.pop("gongkai.settings.production", None)
    module = importlib.import_module("gongkai.settings.production")
    try:
        for name in PRODUCTION_NAMES:
            setattr(settings, name, getattr(module, name))
        settings.ALLOWED_HOSTS = ["gongkai.example.gov.cn", "testserver"]
        yield settings
    finally:
        sys.modules.pop("gongkai.settings.production", None)
        assert os.environ["SECRET_KEY"]  # the monkeypatch restores it after the test


# A request as the local TLS proxy forwards it.
VIA_PROXY = {
    "REMOTE_ADDR": "127.0.0.1",
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_FOR": "203.0.113.7",
}
