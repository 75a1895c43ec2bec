"""Test settings: fast hashing, in-memory mail, local files; PostgreSQL when DATABASE_URL is set."""

import tempfile

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="gongkai-test-media-")
GONGKAI_PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="gongkai-test-private-")
# Each test starts with an empty cache (conftest clears it); the database cache itself is tested on its own,
# across processes, in core/tests/test_ratelimit.py.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gongkai-test"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gongkai-test-pages"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE"}
