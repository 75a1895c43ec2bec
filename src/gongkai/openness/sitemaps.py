"""The column's pages in sitemap.xml (portal/sitemaps.py adds them)."""

from django.contrib.sitemaps import Sitemap

from .models import Entry, GazetteIssue, GazetteStatus, Institution, PowerItem

OPENNESS_PAGES = [
    "openness:index",
    "openness:guide",
    "openness:rules",
    "openness:proactive",
    "openness:catalogue",
    "openness:full_list",
    "openness:annual_reports",
    "openness:powers",
    "openness:institutions",
    "openness:gazette",
]


class _Records(Sitemap):
    changefreq = "monthly"
    limit = 5000
    model = None

    def items(self):
        return self.model.objects.order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class EntrySitemap(_Records):
    model = Entry


class PowerSitemap(_Records):
    model = PowerItem


class InstitutionSitemap(_Records):
    model = Institution


class GazetteSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return GazetteIssue.objects.filter(status=GazetteStatus.PUBLISHED).order_by("year", "number")


SITEMAPS = {
    "openness-entries": EntrySitemap,
    "openness-powers": PowerSitemap,
    "openness-institutions": InstitutionSitemap,
    "openness-gazette": GazetteSitemap,
}
