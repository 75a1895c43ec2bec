from importlib import import_module

from django.conf import settings
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from gongkai.api.urls import urlpatterns as api_urlpatterns
from gongkai.core import storage
from gongkai.core.admin_reports import urlpatterns as scoped_report_urlpatterns
from gongkai.core.health import healthz
from gongkai.core.views import RateLimitedPasswordResetView

# Chinese error pages with the site's header and footer (used when DEBUG is off).
handler500 = "gongkai.portal.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Wagtail's reports and snippet index, narrowed to what each user may see (ahead of Wagtail's own).
    *scoped_report_urlpatterns,
    # Public copies of the files of public records, under any settings (DEBUG off included): core/storage.py.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", storage.public_media, name="gongkai_public_media"),
    # Wagtail's password-reset form, with a rate limit per client address (before Wagtail's own URL).
    path("admin/password_reset/", RateLimitedPasswordResetView.as_view(), name="wagtailadmin_password_reset"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The language switch is a form on every public page. Without the CSRF check it needs no token, so public
    # pages set no cookie and can be cached; forcing a visitor's language is all a forged request could do.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
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
    ("redemption/", "redemption"),
    ("consultation/", "consultation"),
    ("openness/", "openness"),
]:
    try:
        import_module(f"gongkai.{_app}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"gongkai.{_app}.urls":
            raise
        continue
    urlpatterns.append(path(_prefix, include(f"gongkai.{_app}.urls", namespace=_app)))

if settings.GONGKAI_BENCHMARK_VIEWS:
    from django.http import HttpResponse

    def _hello(request):
        return HttpResponse("Hello, world")

    # Resolved after the same patterns as the portal's pages, so the comparison is fair.
    urlpatterns.append(path("_bench/hello", _hello))

urlpatterns.append(path("", include("gongkai.portal.urls")))

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    # Static files only: /media/ is always the view above, never the raw folder.
    urlpatterns = staticfiles_urlpatterns() + urlpatterns
