"""Rate limits for public forms and look-ups, kept in the shared cache (`CACHES["default"]`: the database cache by
default, Redis when `REDIS_URL` is set), so every worker process counts into the same buckets (house rule 13).

A limit is a name with (requests, seconds): `register_limit("qa.ask", 5, 3600)` in an app's `ready()`. The
administrator can change any of them with `GONGKAI_RATE_LIMITS` (a JSON object in the environment of the same
name, e.g. `{"disclosure.apply": [10, 3600]}`). A view calls `hit(request, "qa.ask")`, which counts one use for
the client address (`gongkai.core.proxies.client_ip`, i.e. the real client behind a trusted proxy) and answers
False when the client is over the limit. Browsing pages is never limited: only forms and look-ups call it.

Why not django-ratelimit: its counter is the cache's `incr`, which the database cache implements as read-then-
write — two processes that read the same count both pass. Here each use takes one *slot* with `cache.add`,
which is atomic on every backend (a primary-key insert in the database cache, `SET NX` in Redis): at most
`requests` uses per window get a slot, whatever the number of processes.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import caches

from .proxies import client_ip

_DEFAULTS: dict[str, tuple[int, int]] = {}


def register_limit(name: str, requests: int, seconds: int) -> None:
    """Declares a limit and its default; `GONGKAI_RATE_LIMITS` may override it."""
    if requests < 1 or seconds < 1:
        raise ValueError("rate limit must allow at least one request in at least one second")
    _DEFAULTS[name] = (int(requests), int(seconds))


def limit_for(name: str) -> tuple[int, int]:
    configured = (getattr(settings, "GONGKAI_RATE_LIMITS", None) or {}).get(name)
    if configured:
        requests, seconds = configured
        return int(requests), int(seconds)
    try:
        return _DEFAULTS[name]
    except KeyError:
        raise KeyError(f"unknown rate limit {name!r}: declare it with register_limit()") from None


def client_key(request) -> str:
    """A short, non-reversible key for the client address (addresses are personal data)."""
    salt = settings.SECRET_KEY[:16]
    return hashlib.sha256(f"{salt}:{client_ip(request)}".encode()).hexdigest()[:24]


def _cache():
    return caches[getattr(settings, "GONGKAI_RATE_LIMIT_CACHE", "default")]


def hit_key(key: str, name: str, *, now: float | None = None) -> bool:
    """Counts one use of `name` by `key`; False when `key` has used up its requests in the current window."""
    requests, window = limit_for(name)
    bucket = int((now if now is not None else time.time()) // window)
    prefix = f"gongkai.rl.{name}.{key}.{bucket}"
    cache = _cache()
    slots = [f"{prefix}.{i}" for i in range(requests)]
    taken = cache.get_many(slots)
    for slot in slots:
        if slot in taken:
            continue
        if cache.add(slot, 1, window + 1):
            return True
    return False


def hit(request, name: str) -> bool:
    """Counts one use of `name` by the client of `request`; False when over the limit."""
    return hit_key(client_key(request), name)


def remaining(request, name: str) -> int:
    requests, window = limit_for(name)
    bucket = int(time.time() // window)
    prefix = f"gongkai.rl.{name}.{client_key(request)}.{bucket}"
    taken = _cache().get_many([f"{prefix}.{i}" for i in range(requests)])
    return requests - len(taken)
