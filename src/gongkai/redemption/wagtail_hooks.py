"""Policy redemption in the Wagtail admin: one menu (兑现事项, 标签库, 企业数据集, 政策评价)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_urls


@hooks.register("register_admin_urls")
def register_redemption_urls():
    return [
        path(
            "redemption/", include((admin_urls.urlpatterns, "redemption_admin"), namespace="redemption_admin")
        )
    ]


@hooks.register("register_admin_menu_item")
def register_redemption_menu():
    items = [
        MenuItem(_("兑现事项"), reverse("redemption_admin:index"), icon_name="list-ul", order=10),
        MenuItem(_("标签库"), reverse("redemption_admin:tags"), icon_name="tag", order=20),
        MenuItem(_("企业数据集"), reverse("redemption_admin:datasets"), icon_name="table", order=30),
        MenuItem(_("政策评价"), reverse("redemption_admin:evaluations"), icon_name="doc-full", order=40),
    ]
    return SubmenuMenuItem(_("惠企政策兑现"), Menu(items=items), icon_name="pick", order=320)
