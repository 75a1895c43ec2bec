"""Production settings. Refuses to start without a secret key and allowed hosts (house rule 5)."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOGGING, MIDDLEWARE, STORAGES
from .env import env_bool, env_int, env_str

for _name in ("SECRET_KEY", "ALLOWED_HOSTS"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"生产环境必须设置环境变量 {_name} / {_name} must be set in production")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
# Health checks of a load balancer come over plain HTTP: never redirect them (when SSL redirect is on).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Static files: WhiteNoise serves them from STATIC_ROOT with content-hashed names (cached for a year) and
# pre-compressed gzip/brotli copies. `gongkai serve` collects them itself when they are missing or out of date.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}

# Requests and errors are logged (to standard output, see base.py); 500s with their traceback.
LOGGING = {
    **LOGGING,
    "root": {**LOGGING["root"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "WARNING"}, "django.security": {"level": "WARNING"}},
}
