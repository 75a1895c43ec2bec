"""Atom feed of the consultations open for comment (意见征集)."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Consultation


class OpenConsultationsFeed(Feed):
    feed_type = Atom1Feed
    title = _("正在征求意见的政策文件草案")
    link = "/consultation/"
    subtitle = _("本区政策文件草案公开征求意见")

    def items(self):
        return (
            Consultation.objects.open_on(timezone.localdate())
            .select_related("department")
            .order_by("-start_date", "-id")[:50]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return _("征求意见时间：%(start)s 至 %(end)s。%(text)s") % {
            "start": item.start_date.isoformat(),
            "end": item.closes_on.isoformat(),
            "text": item.explanation[:200],
        }

    def item_author_name(self, item):
        return item.department.name

    def item_pubdate(self, item):
        return item.published_at or timezone.make_aware(
            datetime.datetime.combine(item.start_date, datetime.time())
        )
