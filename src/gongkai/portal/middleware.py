CARE_COOKIE_AGE = 365 * 24 * 3600


def without_care(request) -> str:
    """The request's path and query string without the `care` switch."""
    params = request.GET.copy()
    params.pop("care", None)
    query = params.urlencode()
    return request.path + ("?" + query if query else "")


class CareModeMiddleware:
    """The 关怀版 switch (docs/portal.md). A GET with `?care=1` (on) or `?care=0` (off) sets the `care_mode`
    cookie and redirects to the same path and query string without `care`, so the visitor lands on the page
    they were on (the same search, filters and page) in the chosen mode, and every later page keeps it.

    Why a cookie and a redirect, not client-side only: the mode must work without JavaScript (older
    phones, reading software), and the page cache keys on the `care_mode` cookie (`core.pagecache`), so the
    standard and the care version of a page are two cache entries and both stay cached. The redirect itself
    is never cached (not a 200, sets a cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseRedirect

        care = request.GET.get("care")
        if request.method in ("GET", "HEAD") and care is not None:
            response = HttpResponseRedirect(without_care(request))
            if care in ("0", "1"):
                response.set_cookie("care_mode", care, max_age=CARE_COOKIE_AGE, samesite="Lax")
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


class ExplicitLanguageMiddleware:
    """Chinese first (house rule 6): the site is in Chinese unless the visitor chose English with the language
    switch (a cookie). The browser's Accept-Language is deliberately ignored: an English-language browser in a
    Beijing office should still get the Chinese site, with `lang` attributes that match the content.

    The admin (/admin/) ignores the cookie: an official who looked at the English public site keeps the admin in
    the language of their Wagtail account preference (Chinese by default), not a half-English admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = (
            None if request.path.startswith("/admin/") else request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        )
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
