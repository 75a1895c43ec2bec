class CareModeMiddleware:
    """`?care=1` switches the 关怀版 (larger type, higher contrast) on for the visitor, `?care=0` off; a cookie
    remembers the choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        care = request.GET.get("care")
        if care in ("0", "1"):
            response.set_cookie("care_mode", care, max_age=365 * 24 * 3600, samesite="Lax")
        return response


class ExplicitLanguageMiddleware:
    """Chinese first (house rule 6): the site is in Chinese unless the visitor chose English with the language
    switch (a cookie). The browser's Accept-Language is deliberately ignored: an English-language browser in a
    Beijing office should still get the Chinese site, with `lang` attributes that match the content."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
