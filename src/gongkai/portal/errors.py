"""The 500 page. Django's own handler renders `500.html` without the request's context (no site name, no
navigation); this one renders the portal's layout, and falls back to a plain Chinese page when even that fails
(for example when the database is down and a context processor needs it)."""

import logging

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from .context_processors import site_name
from .nav import portal_links

logger = logging.getLogger(__name__)

FALLBACK = """<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>系统暂时出现问题</title></head>
<body><h1>系统暂时出现问题</h1><p>服务器处理您的请求时出错，请稍后再试。</p><p><a href="/">返回首页</a></p></body></html>"""


@requires_csrf_token
def server_error(request, template_name="500.html"):
    try:
        template = loader.get_template(template_name)
        # No context processors: they may need the database or the session, which may be what failed.
        body = template.render(
            {
                "request": request,
                "site_name": site_name(),
                "care_mode": request.COOKIES.get("care_mode") == "1",
                "care_toggle_url": "/?care=0" if request.COOKIES.get("care_mode") == "1" else "/?care=1",
                "portal_nav": portal_links(),
                "LANGUAGE_CODE": getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            }
        )
    except Exception:  # the error page itself must not fail
        logger.exception("500 page could not be rendered")
        body = FALLBACK
    return HttpResponseServerError(body)
