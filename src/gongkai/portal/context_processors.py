from django.conf import settings


def portal(request):
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "care_mode": request.COOKIES.get("care_mode") == "1" or request.GET.get("care") == "1",
    }
