from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gongkai.policies.models import Policy


class PolicySitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Policy.objects.public().order_by("pk")

    def lastmod(self, item):
        return item.last_published_at


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        from gongkai.openness.sitemaps import OPENNESS_PAGES

        return [
            "portal:home",
            "portal:policy_list",
            "portal:normative_list",
            "portal:site_map",
            *OPENNESS_PAGES,
        ]

    def location(self, item):
        return reverse(item)


def _sitemaps():
    from gongkai.openness.sitemaps import SITEMAPS as OPENNESS

    return {"policies": PolicySitemap, "static": StaticSitemap, **OPENNESS}


SITEMAPS = _sitemaps()
