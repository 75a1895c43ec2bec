from django.conf import settings

from .nav import portal_links


def portal(request):
    care = request.GET.get("care")
    if care is None:
        care_mode = request.COOKIES.get("care_mode") == "1"
    else:
        care_mode = care == "1"
    return {"site_name": settings.WAGTAIL_SITE_NAME, "care_mode": care_mode, "portal_nav": portal_links()}
