"""Constants of the cross-app tests (the `production_settings` fixture is in the root conftest)."""

# A request as the local TLS proxy forwards it.
VIA_PROXY = {
    "REMOTE_ADDR": "127.0.0.1",
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_FOR": "203.0.113.7",
}
