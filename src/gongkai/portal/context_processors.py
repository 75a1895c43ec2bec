from django.conf import settings

from .nav import portal_links


def portal(request):
    from .middleware import without_care

    care_mode = request.COOKIES.get("care_mode") == "1"
    here = without_care(request)
    toggle = here + ("&" if "?" in here else "?") + ("care=0" if care_mode else "care=1")
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "care_mode": care_mode,
        "care_toggle_url": toggle,
        "portal_nav": portal_links(),
    }
