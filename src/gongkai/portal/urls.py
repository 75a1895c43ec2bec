from django.contrib.sitemaps.views import sitemap
from django.urls import path

from gongkai.core.pagecache import public_page

from . import views
from .feeds import LatestPoliciesFeed
from .sitemaps import SITEMAPS

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/<int:pk>/", views.policy_detail, name="policy_detail"),
    path("policies/english/", views.english_list, name="english_list"),
    path("search/", views.search, name="search"),
    path("normative/", views.normative_list, name="normative_list"),
    path("feed/", public_page(LatestPoliciesFeed()), name="feed"),
    path("sitemap/", views.site_map, name="site_map"),
    path("sitemap.xml", public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
]
