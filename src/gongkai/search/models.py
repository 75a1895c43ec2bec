"""What the search app stores besides its index: the daily counts of public searches that found nothing."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ZeroResultQuery(models.Model):
    """A public search that found nothing, counted per day (issue 16): one row per normalised query per day.

    Only the query is kept — masked by the confidentiality scan (`querylog.loggable_query`) — never an IP
    address, a cookie or anything else about the visitor. Rows are written by `querylog.record_zero_result`
    with one atomic upsert, so any number of server processes count right."""

    wagtail_reference_index_ignore = True

    query = models.CharField(_("检索词"), max_length=200)
    day = models.DateField(_("日期"))
    count = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("无结果检索词")
        verbose_name_plural = _("无结果检索词")
        constraints = [models.UniqueConstraint(fields=["query", "day"], name="search_zero_result_query_day")]
        indexes = [models.Index(fields=["day"], name="search_zero_result_day")]
        default_permissions = ()

    def __str__(self):
        return f"{self.day} {self.query}×{self.count}"
