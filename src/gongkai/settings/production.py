"""Production settings. Refuses to start without a secret key and allowed hosts (house rule 5).

HTTPS throughout: HSTS, the SSL redirect and secure cookies. Behind the TLS proxy the scheme and the client address
come from `X-Forwarded-Proto` / `X-Forwarded-For` only when the proxy is one of `GONGKAI_TRUSTED_PROXIES`
(gongkai/core/proxies.py; Django's SECURE_PROXY_SSL_HEADER, which trusts anyone, is not used), so a request the
proxy forwards with `X-Forwarded-Proto: https` is answered, not redirected. `gongkai check --deploy` prints no
warning with these settings (tested in core/tests/test_deploy_check.py).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int

for _name in ("SECRET_KEY", "ALLOWED_HOSTS"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"生产环境必须设置环境变量 {_name} / {_name} must be set in production")

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
# One year, subdomains included, preload-ready. Lower SECURE_HSTS_SECONDS (e.g. 300) while first trying HTTPS.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
