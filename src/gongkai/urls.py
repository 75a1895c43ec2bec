from importlib import import_module

from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from gongkai.api.urls import urlpatterns as api_urlpatterns

urlpatterns = [
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
    ("redemption/", "redemption"),
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
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns = (
        staticfiles_urlpatterns()
        + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
        + urlpatterns
    )
