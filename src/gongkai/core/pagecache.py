"""The public page cache: anonymous GET pages rendered once and served from the shared cache until the public
content changes, in every server process at once.

How it stays correct across processes (house rule 13):
- One row (`ContentGeneration`) holds a random token. Every change to a model an app registered with
  `watch_model` (publish, unpublish, relations, validity, attachments, interpretations, answered questions …)
  writes a new token **in the same database transaction as the change** (signal handlers, plus
  `content_changed()` where code uses `QuerySet.update`). A reader therefore sees the new token exactly when it
  sees the new data; there is no window in which a process can store old content under the new token.
- A cached page's key contains the token (and the path, query string, host, scheme, language and care mode), so
  a new token makes every older entry unreachable: nothing has to be deleted, and nothing is kept per process
  that could go stale. Old entries age out (GONGKAI_PAGE_CACHE_SECONDS) or are culled.
- The token is random rather than a counter, so a rolled-back change can never bring back a value under which
  something was stored.

Views opt in with `@public_page`. `public_page(view, store="local")` keeps the pages in the bounded per-process
copy only, never in the shared cache: for pages with an open-ended key such as search results, so that the long tail
of queries costs no write to the shared cache (a database write on SQLite) and a flood of distinct queries cannot
push the hot pages out of it. `store=False` gives a page only the headers. A view whose rendering had a side effect
that must happen on every request (the search page counting a zero-result query) calls `do_not_store(response)`. Only requests without a session cookie are served from or
stored in the cache; a response that sets a cookie, used the CSRF token, is not a 200, or says `private` /
`no-store` is never stored. Responses carry `Cache-Control: public, max-age=GONGKAI_PAGE_MAX_AGE`, an `ETag` and
`Last-Modified` (the time of the last content change), and conditional requests get 304.

Why not Django's `cache_page`/`UpdateCacheMiddleware`: they invalidate only by timeout (a publication would be
invisible for the whole timeout) and key on the full Vary headers including every cookie.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import connection, models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

CACHE_ALIAS = "pages"
GENERATION_ROW = 1
# Cookies whose value changes the rendered page; they are part of the cache key. Any other cookie is ignored,
# except the session and messages cookies, which make the request uncacheable.
CARE_COOKIE = "care_mode"


# --- the content generation -------------------------------------------------------------------------------


def _table() -> str:
    from .models import ContentGeneration

    return ContentGeneration._meta.db_table


def current_generation() -> tuple[str, float]:
    """(token, time of the last change) as this request's database connection sees it."""
    table = _table()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token, changed_at FROM {table} WHERE id = %s", [GENERATION_ROW])
        row = cursor.fetchone()
        if row is None:
            # A fresh database (or a flushed test database): start with a random token, never a fixed one.
            _write_generation(cursor, insert_only=True)
            cursor.execute(f"SELECT token, changed_at FROM {table} WHERE id = %s", [GENERATION_ROW])
            row = cursor.fetchone()
    return str(row[0]), float(row[1])


def _write_generation(cursor, *, insert_only: bool = False) -> None:
    table = _table()
    token, now = secrets.randbits(62), time.time()
    if not insert_only:
        cursor.execute(
            f"UPDATE {table} SET token = %s, changed_at = %s WHERE id = %s", [token, now, GENERATION_ROW]
        )
        if cursor.rowcount:
            return
    cursor.execute(
        f"INSERT INTO {table} (id, token, changed_at) VALUES (%s, %s, %s) ON CONFLICT (id) DO NOTHING",
        [GENERATION_ROW, token, now],
    )


def content_changed() -> None:
    """Marks the public content as changed. Call it inside the transaction that changes the data (the signal
    handlers of watched models do); use it where code writes with `QuerySet.update` or raw SQL."""
    with connection.cursor() as cursor:
        _write_generation(cursor)


# --- which models make up the public content -------------------------------------------------------------

_WATCHED: dict[type, Callable | None] = {}


def watch_model(model: type[models.Model], when: Callable | None = None) -> None:
    """Every save, delete and many-to-many change of `model` invalidates the cached public pages.
    `when(instance, created)` may return False for writes that cannot change a public page (for example a new
    question that waits for an answer)."""
    _WATCHED[model] = when
    uid = f"gongkai.pagecache.{model._meta.label_lower}"

    def saved(sender, instance, created=False, raw=False, **kwargs):
        if raw:
            return
        if when is None or when(instance, created):
            content_changed()

    def deleted(sender, instance, **kwargs):
        content_changed()

    post_save.connect(saved, sender=model, dispatch_uid=uid + ".save", weak=False)
    post_delete.connect(deleted, sender=model, dispatch_uid=uid + ".delete", weak=False)
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through

        def m2m(sender, instance, action, **kwargs):
            if action in ("post_add", "post_remove", "post_clear"):
                content_changed()

        m2m_changed.connect(m2m, sender=through, dispatch_uid=f"{uid}.m2m.{field.name}", weak=False)


def watched_models() -> list[type]:
    return list(_WATCHED)


# --- a small copy in each process -------------------------------------------------------------------------
# The shared cache is the source; each process also keeps the most recently served pages in memory, saving the
# shared-cache round trip and unpickling on a hit. This is not state that can go stale: its keys contain the
# generation token, which is read from the database on every request, so a publication makes every local entry
# unreachable at once, exactly like the shared ones.

LOCAL_MAX_ENTRIES = 1000
LOCAL_MAX_BYTES = 32 * 1024 * 1024
_local: OrderedDict[str, tuple] = OrderedDict()
_local_bytes = 0
_local_lock = threading.Lock()


def _local_get(key: str):
    with _local_lock:
        entry = _local.get(key)
        if entry is not None:
            _local.move_to_end(key)
        return entry


def _local_put(key: str, entry: tuple) -> None:
    global _local_bytes
    size = len(entry[0])
    if size > LOCAL_MAX_BYTES // 8:
        return
    with _local_lock:
        if key in _local:
            return
        _local[key] = entry
        _local_bytes += size
        while len(_local) > LOCAL_MAX_ENTRIES or _local_bytes > LOCAL_MAX_BYTES:
            _old_key, old = _local.popitem(last=False)
            _local_bytes -= len(old[0])


def clear_local() -> None:
    global _local_bytes
    with _local_lock:
        _local.clear()
        _local_bytes = 0


# --- the view decorator -----------------------------------------------------------------------------------


def _uncacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return True
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return True  # a visitor with a session (staff, a form just sent): may see personal content
    return "care" in request.GET  # the care-mode switch answers with a cookie


def normalised_query_string(request) -> str:
    """The query string with its parameters in a fixed order (values of one parameter keep theirs), so that
    ``?q=补贴&year=2024`` and ``?year=2024&q=补贴`` — the same page — share one cache entry."""
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    return urlencode(sorted(pairs, key=lambda pair: pair[0]))


def _cache_key(request, token: str, extra: str = "") -> str:
    care = "1" if request.COOKIES.get(CARE_COOKIE) == "1" else "0"
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    raw = "|".join(
        [
            request.scheme,
            request.get_host(),
            request.path,
            normalised_query_string(request),
            language,
            care,
            extra,
        ]
    )
    return f"page:{token}:{hashlib.sha256(raw.encode()).hexdigest()}"


def do_not_store(response):
    """Keeps this response out of the page cache (it still gets the public headers): for a page whose rendering
    did something that must happen on every request."""
    response.page_cache_store = False
    return response


def _storable(request, response) -> bool:
    if not getattr(response, "page_cache_store", True):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds a form with this visitor's CSRF token
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def _public_headers(response, changed_at: float) -> None:
    if not response.has_header("ETag"):
        response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
    response["Last-Modified"] = http_date(changed_at)
    patch_cache_control(response, public=True, max_age=settings.GONGKAI_PAGE_MAX_AGE)
    patch_vary_headers(response, ["Cookie"])  # language and care mode come from cookies


def public_page(view: Callable | None = None, *, store: bool | str = True, vary_on: Callable | None = None):
    """Decorator for public pages: see the module's docstring. `store`: True (shared cache and the local copy),
    "local" (the local copy only), False (headers only). `vary_on(request)` may add a string to the key (a
    change mark of data the page depends on besides the watched models), or return None: then this request
    neither reads nor stores a cached page."""
    if store not in (True, False, "local"):
        raise ValueError(f"store must be True, False or 'local', not {store!r}")
    if view is None:
        return functools.partial(public_page, store=store, vary_on=vary_on)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if _uncacheable_request(request):
            response = view(request, *args, **kwargs)
            if request.method in ("GET", "HEAD"):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        token, changed_at = current_generation()
        pages = caches[CACHE_ALIAS]
        extra = vary_on(request) if store and vary_on is not None else ""
        key = _cache_key(request, token, extra) if store and extra is not None else None
        entry = None
        if key:
            entry = _local_get(key)
            if entry is None and store is True:
                entry = pages.get(key)
                if entry is not None:
                    _local_put(key, entry)
        if entry is not None:
            content, headers = entry
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if not _storable(request, response):
                return response
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
            _public_headers(response, changed_at)
            if key and request.method == "GET":
                entry = (response.content, list(response.items()))
                if store is True:
                    pages.set(key, entry, settings.GONGKAI_PAGE_CACHE_SECONDS)
                else:
                    _local_put(key, entry)
                response["X-Page-Cache"] = "miss"
        response = get_conditional_response(
            request, etag=response["ETag"], last_modified=int(changed_at), response=response
        )
        if request.method == "HEAD" and response.status_code == 200:
            length = len(response.content)  # headers as for GET, no body (RFC 9110 §9.3.2)
            response.content = b""
            response["Content-Length"] = str(length)
        return response

    wrapped.public_page = True
    return wrapped
