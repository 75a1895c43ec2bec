"""A small per-client rate limit for public forms, on Django's cache (no captcha)."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

DEFAULT_LIMITS = {
    "apply": (5, 3600),
    "track": (30, 3600),
    "verify": (30, 3600),
    "correct": (10, 3600),
}  # (requests, seconds)


def _limits() -> dict:
    """The defaults, changed by GONGKAI_RATE_LIMITS (JSON, e.g. '{"apply": [20, 3600]}'): the load benchmark
    lifts them, since all its simulated visitors come from one address."""
    from django.conf import settings

    return {
        **DEFAULT_LIMITS,
        **{k: tuple(v) for k, v in getattr(settings, "GONGKAI_RATE_LIMITS", {}).items()},
    }


def client_key(request) -> str:
    ip = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hashlib.sha256(ip.encode()).hexdigest()[:24]


def hit(request, name: str) -> bool:
    """Counts one use; returns False when the client is over the limit."""
    limit, window = _limits()[name]
    bucket = int(time.time() // window)
    key = f"gongkai.rl.{name}.{client_key(request)}.{bucket}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        count = 1
    return count <= limit
