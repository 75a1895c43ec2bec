"""The public JSON API under /api/v1/ (django-ninja). Each domain adds its router in `ROUTERS`."""

from importlib import import_module

from ninja import NinjaAPI

api = NinjaAPI(
    title="gongkai 政务公开 API",
    version="1.0",
    description="西城区政务公开平台的公开数据接口：政策文件、工作要点落实情况等。匿名访问只返回已公开的数据。",
    urls_namespace="api",
)

# (URL prefix, module with a `router`). Modules that do not exist yet are skipped.
ROUTERS = [
    ("/policies", "gongkai.policies.api"),
    ("/plans", "gongkai.supervision.api"),
    ("/disclosure", "gongkai.disclosure.api"),
    ("/interpretations", "gongkai.review.api"),
    ("/redemption", "gongkai.redemption.api"),
    ("/consultations", "gongkai.consultation.api"),
    ("/events", "gongkai.consultation.event_api"),
]

for prefix, module_name in ROUTERS:
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        continue
    api.add_router(prefix, module.router)
