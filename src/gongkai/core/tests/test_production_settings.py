"""Production settings from the environment: S3 media, Redis cache, WhiteNoise, refusal without a secret."""

import json
import os
import subprocess
import sys

import pytest

SCRIPT = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
out = {"storages": settings.STORAGES, "caches": settings.CACHES, "middleware": settings.MIDDLEWARE}
if "s3" in settings.STORAGES["default"]["BACKEND"].lower():
    out["url"] = storages["default"].url("policies/a.pdf")
    out["public_url"] = storages["public"].url("ab/abcdef.pdf")
    out["locations"] = [storages["default"].location, storages["public"].location]
print(json.dumps(out, default=str))
"""


def _settings(tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GONGKAI_", "PYTEST"))}
    base.pop("DATABASE_URL", None)
    base.update(
        DJANGO_SETTINGS_MODULE="gongkai.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="example.org",
        GONGKAI_VAR_DIR=str(tmp_path),
    )
    base.update(env)
    result = subprocess.run([sys.executable, "-c", SCRIPT], env=base, capture_output=True, text=True)
    return result


def test_production_defaults(tmp_path):
    result = _settings(tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.splitlines()[-1])
    assert (
        data["storages"]["staticfiles"]["BACKEND"]
        == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    # The agreed order: the trusted-proxy middleware, SecurityMiddleware, WhiteNoise right after it.
    assert data["middleware"][:3] == [
        "gongkai.core.proxies.TrustedProxyMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert data["middleware"][-1] == "axes.middleware.AxesMiddleware"
    assert data["caches"]["default"]["BACKEND"].endswith("DatabaseCache")
    assert data["caches"]["pages"]["LOCATION"] == "gongkai_page_cache"


def test_redis_cache_when_redis_url_is_set(tmp_path):
    data = json.loads(_settings(tmp_path, REDIS_URL="redis://127.0.0.1:6399/0").stdout.splitlines()[-1])
    assert data["caches"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert data["caches"]["pages"]["KEY_PREFIX"] == "pages"


def test_media_on_s3_compatible_storage(tmp_path):
    pytest.importorskip("boto3", reason="pip install '.[s3]' (make venv installs it)")
    result = _settings(
        tmp_path,
        GONGKAI_S3_BUCKET="gongkai-media",
        GONGKAI_S3_ENDPOINT_URL="https://oss.example.gov.cn",
        GONGKAI_S3_ACCESS_KEY="AKIAEXAMPLE",
        GONGKAI_S3_SECRET_KEY="secret",
        GONGKAI_S3_REGION="cn-north-1",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.splitlines()[-1])
    assert data["storages"]["default"]["BACKEND"] == "gongkai.core.storage_s3.PrivateS3Storage"
    assert data["storages"]["public"]["BACKEND"] == "gongkai.core.storage_s3.PublicS3Storage"
    assert data["locations"] == ["media/private", "media/public"]
    # Links never point at the bucket: private files through the signed, permission-checked view, public copies
    # through /media/ (both stream the object from the bucket).
    assert data["url"].startswith("/admin/files/")
    assert data["public_url"] == "/media/ab/abcdef.pdf"


def test_production_refuses_to_start_without_a_secret(tmp_path):
    result = _settings(tmp_path, SECRET_KEY="")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
