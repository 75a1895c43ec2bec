"""Settings shared by every environment. Everything that differs between machines comes from the environment."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE

from .env import env_bool, env_int, env_json, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(env_str("GONGKAI_HOME", str(Path.cwd())))
VAR_DIR = Path(env_str("GONGKAI_VAR_DIR", str(BASE_DIR / "var")))
# The shared folder with the work-plan seeds and the law corpus (optional; used by demo data and tests).
VAR_DIR.mkdir(parents=True, exist_ok=True)
SHARED_DIR = Path(env_str("GONGKAI_SHARED_DIR", str(BASE_DIR.parent / "shared")))

SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # gongkai domains, one app each
    "gongkai.core",
    "gongkai.documents",
    "gongkai.search",
    "gongkai.policies",
    "gongkai.review",
    "gongkai.secrecy",
    "gongkai.disclosure",
    "gongkai.supervision",
    "gongkai.redemption",
    "gongkai.consultation",
    "gongkai.openness",
    "gongkai.portal",
    "gongkai.api",
    # Wagtail
    "wagtail.contrib.settings",
    "wagtail.sites",  # the page explorer links to it; without it /admin/pages/ answered 500
    "gongkai.core.users_app.GongkaiUsersConfig",  # wagtail.users with departments on the user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    # django-ninja as an app: its Swagger UI assets are served from our static files, not a CDN (issue 16:
    # the API documentation must work on an offline intranet)
    "ninja",
    "axes",
    "csp",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: the client address and scheme from a trusted proxy, before the SSL redirect and everything that keys
    # on the address (see gongkai/core/proxies.py and GONGKAI_TRUSTED_PROXIES below).
    "gongkai.core.proxies.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gongkai.core.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongkai.portal.middleware.ExplicitLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.portal.middleware.CareModeMiddleware",
    # Last: django-axes answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.portal.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "gongkai.sqlite3"),
            "OPTIONS": {
                # WAL: readers never wait for the writer. Every transaction starts with BEGIN IMMEDIATE, so a
                # writer queues for the lock at its start (busy timeout) instead of failing half-way with
                # "database is locked" when it upgrades a read lock. The timeout stays below the server's
                # request timeout (gongkai serve: 30 s); slow work runs outside write transactions (docs/deploy.md).
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "timeout": env_int("GONGKAI_SQLITE_BUSY_TIMEOUT", 20),
                "transaction_mode": "IMMEDIATE",
            },
            # Keep each server thread's connection (as for PostgreSQL): opening one per request costs more than
            # serving a cached page (measured: 53 against 300+ req/s for a cached home page).
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# django-axes first: it refuses a locked-out username/address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Chinese first (house rule 6).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The language switch's cookie (django_language) is set only by the switch (/i18n/setlang/), for a year like the
# care-mode cookie; the page cache keys on the language (core/pagecache.py). Django's default is a browser-session
# cookie, which would forget the choice.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Cache shared by every process (house rule 13): rate limits, spam tokens, login guards; the database cache by
# default (its tables are created by `migrate`, core/apps.py), Redis when REDIS_URL is set. Public pages are cached in their own table/prefix ("pages"), so that a
# crawl of many pages cannot push out rate-limit counters.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pages",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "gongkai_cache",
            # Rate-limit counters live here: Django's default of 300 entries would cull them.
            "OPTIONS": {"MAX_ENTRIES": env_int("GONGKAI_CACHE_MAX_ENTRIES", 200_000)},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "gongkai_page_cache",
            "OPTIONS": {"MAX_ENTRIES": env_int("GONGKAI_PAGE_CACHE_ENTRIES", 20_000)},
        },
    }
# Public pages (gongkai.core.pagecache): kept this long at most (every publication invalidates them at once);
# browsers and proxies are told to revalidate after GONGKAI_PAGE_MAX_AGE seconds (ETag / Last-Modified).
GONGKAI_PAGE_CACHE_SECONDS = env_int("GONGKAI_PAGE_CACHE_SECONDS", 600)
GONGKAI_PAGE_MAX_AGE = env_int("GONGKAI_PAGE_MAX_AGE", 0)

# A hello-world view at /_bench/hello for the load benchmark's baseline (benchmarks/load_bench.py). Off by default.
GONGKAI_BENCHMARK_VIEWS = env_bool("GONGKAI_BENCHMARK_VIEWS", False)

STATIC_URL = "/static/"
STATIC_ROOT = env_str("GONGKAI_STATIC_ROOT", str(VAR_DIR / "static"))
# Two storages (docs/security.md): every stored file is private (`default`, outside any served path); the
# public storage (MEDIA_ROOT, served at MEDIA_URL by gongkai.core.storage.public_media) holds only copies of the
# files of public records, under random names.
MEDIA_URL = "/media/"
MEDIA_ROOT = env_str("GONGKAI_PUBLIC_MEDIA_ROOT", str(VAR_DIR / "media"))
GONGKAI_PRIVATE_MEDIA_ROOT = env_str("GONGKAI_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "gongkai.core.storage.PrivateStorage"},
    "public": {"BACKEND": "gongkai.core.storage.PublicStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# How private files leave: "" (Django streams them), "nginx" (X-Accel-Redirect to an `internal` location that
# maps GONGKAI_SENDFILE_PRIVATE_PREFIX to GONGKAI_PRIVATE_MEDIA_ROOT), "apache" (X-Sendfile, also lighttpd).
GONGKAI_SENDFILE = env_str("GONGKAI_SENDFILE", "")
GONGKAI_SENDFILE_PRIVATE_PREFIX = env_str("GONGKAI_SENDFILE_PRIVATE_PREFIX", "/_private/")
GONGKAI_SENDFILE_PUBLIC_PREFIX = env_str("GONGKAI_SENDFILE_PUBLIC_PREFIX", "/_public/")

# Media on S3-compatible object storage (MinIO, Ceph, a cloud's OSS/COS with S3 API) through django-storages,
# so that several app machines share the files: set GONGKAI_S3_BUCKET (docs/scaling.md). Both storages keep their
# roles: private objects (prefix GONGKAI_S3_PREFIX/private) leave only through the permission-checked views, public
# copies (…/public) through /media/; no object is readable from the bucket without credentials.
if env_str("GONGKAI_S3_BUCKET"):
    _S3_OPTIONS = {
        "bucket_name": env_str("GONGKAI_S3_BUCKET"),
        "endpoint_url": env_str("GONGKAI_S3_ENDPOINT_URL"),
        "region_name": env_str("GONGKAI_S3_REGION"),
        "access_key": env_str("GONGKAI_S3_ACCESS_KEY"),
        "secret_key": env_str("GONGKAI_S3_SECRET_KEY"),
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": env_int("GONGKAI_S3_URL_SECONDS", 600),
        "file_overwrite": False,
        "addressing_style": env_str("GONGKAI_S3_ADDRESSING_STYLE", "path"),
    }
    _S3_PREFIX = env_str("GONGKAI_S3_PREFIX", "media").strip("/")
    STORAGES["default"] = {
        "BACKEND": "gongkai.core.storage_s3.PrivateS3Storage",
        "OPTIONS": {**_S3_OPTIONS, "location": f"{_S3_PREFIX}/private"},
    }
    STORAGES["public"] = {
        "BACKEND": "gongkai.core.storage_s3.PublicS3Storage",
        "OPTIONS": {**_S3_OPTIONS, "location": f"{_S3_PREFIX}/public"},
    }

# Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or networks).
GONGKAI_TRUSTED_PROXIES = env_list("GONGKAI_TRUSTED_PROXIES", ["127.0.0.1", "::1"])

# Rate limits of public forms and look-ups, {name: [requests, seconds]} overriding the defaults the apps declare
# (docs/security.md lists them), e.g. GONGKAI_RATE_LIMITS='{"disclosure.apply": [10, 3600]}'.
GONGKAI_RATE_LIMITS = env_json("GONGKAI_RATE_LIMITS", {})
# Upload size limits per upload kind in bytes, e.g. GONGKAI_UPLOAD_LIMITS='{"disclosure.identity_proof": 8388608}'.
GONGKAI_UPLOAD_LIMITS = env_json("GONGKAI_UPLOAD_LIMITS", {})

# Security headers for every environment; production.py adds HTTPS (HSTS, SSL redirect, secure cookies).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# DENY everywhere; Wagtail's preview views answer SAMEORIGIN themselves for the preview panel's frame.
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp): one policy for the public site, one for the admin (gongkai/core/security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
GONGKAI_ADMIN_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    # Wagtail's own inline scripts (inline panels, date pickers) carry the nonce (templates/wagtailadmin/...).
    "script-src": ["'self'", NONCE],
    # Wagtail sets style attributes in its templates; styles cannot run script.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Login protection (django-axes): after GONGKAI_LOGIN_FAILURE_LIMIT failed logins of one user name from one
# address, that pair is locked out for GONGKAI_LOGIN_COOLOFF_MINUTES; an administrator can unlock it earlier
# (管理 → 登录锁定). Every lockout is written to the audit log.
import datetime as _datetime  # noqa: E402

AXES_FAILURE_LIMIT = env_int("GONGKAI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _datetime.timedelta(minutes=env_int("GONGKAI_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "gongkai.core.proxies.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "gongkai.core.security.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# Wagtail
WAGTAIL_SITE_NAME = env_str("GONGKAI_SITE_NAME", "西城区政务公开")
# The site's name on the English pages (docs/portal.md, "English site").
GONGKAI_SITE_NAME_EN = env_str("GONGKAI_SITE_NAME_EN", "Xicheng District Government Affairs Openness")
WAGTAILADMIN_BASE_URL = env_str("GONGKAI_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_WORKFLOW_ENABLED = True
# No avatars from an external service: government networks are often closed, and staff e-mail hashes stay here.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ofd", "wps", "txt", "zip", "jpg", "png"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png"]
# Wagtail's document and image libraries go through the one upload validator too (gongkai/core/forms.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "gongkai.core.forms.ValidatedDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "gongkai.core.forms.ValidatedImageForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
# Image renditions (thumbnails) are public by Wagtail's design: they go to the public storage.
WAGTAILIMAGES_RENDITION_STORAGE = "public"
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "gongkai.search.backends",
    }
}

# Background jobs: django-tasks with its database backend; `gongkai worker` runs them and the periodic jobs.
TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

# E-mail (notifications). Console by default; SMTP from the environment in production.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "gongkai@localhost")

# Uploads
GONGKAI_MAX_UPLOAD_BYTES = env_int("GONGKAI_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
GONGKAI_ATTACHMENT_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ofd",
    "wps",
    "txt",
    "zip",
    "jpg",
    "jpeg",
    "png",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = GONGKAI_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Index-number (索引号) prefix for the district, see docs/policies.md
GONGKAI_DISTRICT_CODE = env_str("GONGKAI_DISTRICT_CODE", "XC")

# Logs go to standard output (systemd's journal, a container's log), one line per record.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "line"}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- secrecy ---
# Partial masks used when redacting, per finding type, as a JSON object, e.g.
# GONGKAI_SECRECY_MASKS='{"resident_id": {"keep_start": 0, "keep_end": 0}}' (see docs/secrecy.md).
import json as _json  # noqa: E402

try:
    GONGKAI_SECRECY_MASKS = _json.loads(env_str("GONGKAI_SECRECY_MASKS", "{}") or "{}")
except ValueError as _exc:
    raise ValueError("环境变量 GONGKAI_SECRECY_MASKS 必须是JSON对象") from _exc
if not isinstance(GONGKAI_SECRECY_MASKS, dict):
    raise ValueError("环境变量 GONGKAI_SECRECY_MASKS 必须是JSON对象")
# --- review ---
# A finished pre-release review records its approval instead of publishing the policy directly: publication goes
# through `gongkai.policies.actions.publish_policy` and its gate (see docs/review.md).
WAGTAIL_FINISH_WORKFLOW_ACTION = "gongkai.review.workflow.finish_workflow"
# Opinion after release (24:二(三)3): working days in which the drafting department answers public feedback on a
# released policy (the district's promise; basis and rule in gongkai/policies/feedback.py).
GONGKAI_POLICY_FEEDBACK_ANSWER_DAYS = env_int("GONGKAI_POLICY_FEEDBACK_ANSWER_DAYS", 5)

# --- supervision ---
# Working days before a task's deadline on which departments are reminded (default for new plans).
GONGKAI_SUPERVISION_REMINDER_WORKING_DAYS = env_int("GONGKAI_SUPERVISION_REMINDER_WORKING_DAYS", 5)
# Day of the month from which the monthly reminder goes out (1-28).
GONGKAI_SUPERVISION_MONTHLY_REMINDER_DAY = env_int("GONGKAI_SUPERVISION_MONTHLY_REMINDER_DAY", 1)
# Department code of the openness office, which receives reports to review (区政务服务局).
GONGKAI_SUPERVISION_OFFICE_CODE = env_str("GONGKAI_SUPERVISION_OFFICE_CODE", "XCZWFW")
# 红黄绿灯: a task not done turns yellow this many working days before an open deadline (red once overdue).
GONGKAI_SUPERVISION_LIGHT_YELLOW_WORKING_DAYS = env_int("GONGKAI_SUPERVISION_LIGHT_YELLOW_WORKING_DAYS", 5)
# The quarterly bulletin (GB/T 9704 layout): issuing office (版头 and 落款), its 文号 pattern ({year}, {quarter}
# and {plan} are filled in) and the recipients (主送机关).
GONGKAI_SUPERVISION_BULLETIN_ISSUER = env_str(
    "GONGKAI_SUPERVISION_BULLETIN_ISSUER", "北京市西城区政务公开工作领导小组办公室"
)
GONGKAI_SUPERVISION_BULLETIN_NUMBER = env_str(
    "GONGKAI_SUPERVISION_BULLETIN_NUMBER", "西政公办通〔{year}〕{quarter}号"
)
GONGKAI_SUPERVISION_BULLETIN_RECIPIENTS = env_str(
    "GONGKAI_SUPERVISION_BULLETIN_RECIPIENTS", "区政府各委、办、局，各街道办事处，各区属机构"
)

# --- redemption ---
# Private files (enterprise datasets): outside MEDIA_ROOT, never served directly (see docs/redemption.md).
# Enterprise dataset uploads (.xlsx/.csv): size and row limits.
GONGKAI_MAX_DATASET_BYTES = env_int("GONGKAI_MAX_DATASET_BYTES", 30 * 1024 * 1024)
GONGKAI_MAX_DATASET_ROWS = env_int("GONGKAI_MAX_DATASET_ROWS", 200_000)

# --- search (PostgreSQL): records in the delta above which the worker rebuilds the base index, and the local
# hours (first-last, both included) in which it may (a rebuild makes editors' saves wait; docs/search.md)
GONGKAI_SEARCH_DELTA_REBUILD = env_int("GONGKAI_SEARCH_DELTA_REBUILD", 2000)
GONGKAI_SEARCH_REBUILD_HOURS = env_str("GONGKAI_SEARCH_REBUILD_HOURS", "2-5")

# --- consultation ---
# Working days in which a public comment on a draft is moderated (the district's promise; consultation/rules.py).
GONGKAI_CONSULTATION_MODERATION_DAYS = env_int("GONGKAI_CONSULTATION_MODERATION_DAYS", 3)
# 政务咨询 (consultation/enquiry_rules.py: the basis of each)
# Working days from arrival to the answer (the district's service promise; 北京市接诉即办工作条例 第十三条 leaves the
# length to the 政务服务部门), and how many working days before that limit the first reminder goes out.
GONGKAI_ENQUIRY_ANSWER_DAYS = env_int("GONGKAI_ENQUIRY_ANSWER_DAYS", 5)
GONGKAI_ENQUIRY_REMIND_DAYS_BEFORE = env_int("GONGKAI_ENQUIRY_REMIND_DAYS_BEFORE", 1)
