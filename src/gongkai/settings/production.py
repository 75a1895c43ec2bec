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
from .base import LOGGING, MIDDLEWARE, STORAGES
from .env import env_bool, env_int, env_str

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
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views answer SAMEORIGIN themselves
# Health checks of a load balancer come over plain HTTP: never redirect them (when SSL redirect is on).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Static files: WhiteNoise serves them from STATIC_ROOT with content-hashed names (cached for a year) and
# pre-compressed gzip/brotli copies. `gongkai serve` collects them itself when they are missing or out of date.
# WhiteNoise right after SecurityMiddleware (after the trusted-proxy middleware, so the SSL redirect sees the
# real scheme first).
_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [*MIDDLEWARE[:_security], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[_security:]]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}

# Requests and errors are logged (to standard output, see base.py); 500s with their traceback.
LOGGING = {
    **LOGGING,
    "root": {**LOGGING["root"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "WARNING"}, "django.security": {"level": "WARNING"}},
}
