"""The real client address and scheme behind a reverse proxy, trusted only from configured proxies.

`GONGKAI_TRUSTED_PROXIES` (environment, comma-separated addresses or networks; default the loopback addresses
`127.0.0.1,::1`) lists the peers whose `X-Forwarded-For` and `X-Forwarded-Proto` headers are believed. For a
request whose connecting peer (`REMOTE_ADDR`) is one of them, `TrustedProxyMiddleware`

- replaces `REMOTE_ADDR` with the client address: the right-most address of `X-Forwarded-For` that is not itself a
  trusted proxy (addresses further left were written by the client and can be anything);
- sets the request's scheme from `X-Forwarded-Proto` (`https` or `http`), so that `request.is_secure()`, the SSL
  redirect, secure cookies and CSRF checks see what the browser used.

From any other peer both headers are ignored (and `X-Forwarded-For` is removed from `META`), so a client that
talks to the application directly cannot claim another address or pretend to use HTTPS. The connecting peer stays
in `META["GONGKAI_PEER_ADDR"]`. Rate limits, the login lockout and the audit use `client_ip(request)`.

Django's own `SECURE_PROXY_SSL_HEADER` trusts the header from anyone; it is not used.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PEER_KEY = "GONGKAI_PEER_ADDR"


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    networks = []
    for item in spec:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"GONGKAI_TRUSTED_PROXIES 中的“{item}”不是有效的IP地址或网段 / not an address or network"
            ) from exc
    return tuple(networks)


def trusted_networks() -> tuple:
    return _networks(tuple(getattr(settings, "GONGKAI_TRUSTED_PROXIES", ("127.0.0.1", "::1"))))


def _parse(address: str):
    address = (address or "").strip()
    if address.startswith("[") and "]" in address:  # [::1]:443
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # 1.2.3.4:5678
        address = address.split(":", 1)[0]
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    ip = _parse(address)
    return ip is not None and any(ip in net for net in trusted_networks())


def forwarded_client(peer: str, forwarded_for: str) -> str:
    """The client address for a request from a trusted `peer` carrying `forwarded_for` (X-Forwarded-For)."""
    hops = [h.strip() for h in (forwarded_for or "").split(",") if h.strip()]
    client = peer
    for hop in reversed(hops):
        ip = _parse(hop)
        if ip is None:
            break  # garbage: stop at the last address we could trust
        client = str(ip)
        if not any(ip in net for net in trusted_networks()):
            break
    return client


class TrustedProxyMiddleware:
    """Must come first in `MIDDLEWARE` (before SecurityMiddleware's SSL redirect)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        meta[PEER_KEY] = peer
        if is_trusted_proxy(peer):
            forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
            if forwarded:
                meta["REMOTE_ADDR"] = forwarded_client(peer, forwarded)
            proto = meta.get("HTTP_X_FORWARDED_PROTO", "").split(",")[0].strip().lower()
            if proto in ("http", "https"):
                # WSGIRequest takes its scheme from wsgi.url_scheme (META is the WSGI environ).
                meta["wsgi.url_scheme"] = proto
        else:
            meta.pop("HTTP_X_FORWARDED_FOR", None)
            meta.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)


def client_ip(request) -> str:
    """The address of the client (after `TrustedProxyMiddleware`), for rate limits, lockouts and logs."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def axes_client_ip(request) -> str | None:
    """`AXES_CLIENT_IP_CALLABLE`: django-axes keys lockouts on the same address (None when there is none, e.g. a
    login made in code: axes stores it in an IP-address column)."""
    ip = _parse(request.META.get("REMOTE_ADDR", ""))
    return str(ip) if ip is not None else None
