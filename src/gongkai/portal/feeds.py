from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from gongkai.policies.models import Policy


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
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at
