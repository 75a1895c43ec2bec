from django.conf import settings

from .nav import portal_links


def site_name() -> str:
    """The site's name in the page's language (GONGKAI_SITE_NAME, GONGKAI_SITE_NAME_EN)."""
    from django.utils import translation

    if (translation.get_language() or "").startswith("en"):
        return settings.GONGKAI_SITE_NAME_EN
    return settings.WAGTAIL_SITE_NAME


def portal(request):
    from .middleware import without_care

    care_mode = request.COOKIES.get("care_mode") == "1"
    here = without_care(request)
    toggle = here + ("&" if "?" in here else "?") + ("care=0" if care_mode else "care=1")
    return {
        "site_name": site_name(),
        "care_mode": care_mode,
        "care_toggle_url": toggle,
        "portal_nav": portal_links(),
    }
