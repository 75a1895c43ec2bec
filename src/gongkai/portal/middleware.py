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
