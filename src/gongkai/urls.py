from importlib import import_module

from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from gongkai.api.urls import urlpatterns as api_urlpatterns
from gongkai.core import storage
from gongkai.core.views import RateLimitedPasswordResetView

urlpatterns = [
    # Public copies of the files of public records, under any settings (DEBUG off included): core/storage.py.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", storage.public_media, name="gongkai_public_media"),
    # Wagtail's password-reset form, with a rate limit per client address (before Wagtail's own URL).
    path("admin/password_reset/", RateLimitedPasswordResetView.as_view(), name="wagtailadmin_password_reset"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    *api_urlpatterns,
]

# Public pages of each domain app, when the app has a `urls` module (namespace = the app label).
for _prefix, _app in [
    ("disclosure/", "disclosure"),
    ("plans/", "supervision"),
    ("review/", "review"),
    ("secrecy/", "secrecy"),
    ("documents/parse/", "documents"),
    ("policies/cleanup/", "policies"),
]:
    try:
        import_module(f"gongkai.{_app}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"gongkai.{_app}.urls":
            raise
        continue
    urlpatterns.append(path(_prefix, include(f"gongkai.{_app}.urls", namespace=_app)))

urlpatterns.append(path("", include("gongkai.portal.urls")))

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    # Static files only: /media/ is always the view above, never the raw folder.
    urlpatterns = staticfiles_urlpatterns() + urlpatterns
