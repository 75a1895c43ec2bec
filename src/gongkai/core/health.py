"""`/healthz`: for load balancers and monitoring. 200 when the database answers, 503 otherwise."""

import logging

from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    checks = {}
    healthy = True
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Exception as exc:  # any failure means unhealthy; the reason goes to the log, not to the caller
            logger.error("healthz: database %s unavailable: %s", alias, exc)
            checks[f"database:{alias}"] = "error"
            healthy = False
        else:
            checks[f"database:{alias}"] = "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
