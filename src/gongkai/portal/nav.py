"""Apps add links to the portal's main navigation here (label, URL name) in their AppConfig.ready."""

_NAV: list[tuple[int, str, str]] = []


def register_portal_link(label, url_name: str, order: int = 100) -> None:
    if url_name not in {u for _o, _l, u in _NAV}:
        _NAV.append((order, label, url_name))


def portal_links():
    from django.urls import NoReverseMatch, reverse

    links = []
    for _order, label, url_name in sorted(_NAV, key=lambda x: x[0]):
        try:
            links.append({"label": label, "url": reverse(url_name)})
        except NoReverseMatch:
            continue
    return links
