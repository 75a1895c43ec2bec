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
        return ["portal:home", "portal:policy_list", "portal:normative_list", "portal:site_map"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"policies": PolicySitemap, "static": StaticSitemap}
