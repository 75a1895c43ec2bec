import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from gongkai.policies.models import Policy


def _as_datetime(day):
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class LatestPoliciesFeed(Feed):
    feed_type = Atom1Feed
    title = _("最新政策文件")
    link = "/policies/"
    subtitle = _("本区最新公开的政策文件")

    def items(self):
        return Policy.objects.public().select_related("issuer").order_by("-publish_date", "-id")[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or (item.body[:200] if item.body else "")

    def item_author_name(self, item):
        return item.issuer.name

    def item_pubdate(self, item):
        """The document's 发布日期 (what the office published it as), not the time it was imported or put
        online; at midnight in the site's time zone. Falls back to the first publication time."""
        return _as_datetime(item.publish_date) or item.first_published_at

    def item_updateddate(self, item):
        """The 发布日期, or the last republication when the page was republished after it first went online (a
        correction, a validity change); the first upload itself (an import) is not an update."""
        published = self.item_pubdate(item)
        first, last = item.first_published_at, item.last_published_at
        if (
            first
            and last
            and last - first > datetime.timedelta(minutes=1)
            and (not published or last > published)
        ):
            return last
        return published
