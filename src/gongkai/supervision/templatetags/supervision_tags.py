"""Badges for warning lights and statuses: always the words, the colour only adds to them."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from gongkai.portal.i18n import english, is_chinese

from ..lights import REASONS, LightResult
from ..models import Light, TaskStatus

register = template.Library()


@register.simple_tag
def light_badge(value, reason=""):
    """A LightResult (红灯（逾期）), a stored light value (红灯) or a dict from the public data."""
    if isinstance(value, LightResult):
        light, text = value.light, value.text
    elif isinstance(value, dict):
        light = value.get("light", "")
        text = value.get("light_text") or value.get("light_label") or ""
    else:
        light = value or ""
        if light not in Light.values:
            return ""
        text = str(Light(light).label) + (f"（{REASONS[reason]}）" if reason in REASONS else "")
    if light not in Light.values:
        return ""
    if english():
        # Frozen public data (snapshots) holds the Chinese words: 红灯（逾期） → Red (overdue).
        name, _sep, reason = str(text).partition("（")
        text = gettext(name) + (f" ({gettext(reason.rstrip('）'))})" if reason else "")
    lang = mark_safe(' lang="zh-Hans"') if english() and is_chinese(text) else ""
    return format_html('<span class="light light-{}"{}>{}</span>', light, lang, text)


@register.simple_tag
def status_badge(value, label=""):
    if not label:
        label = str(TaskStatus(value).label) if value in TaskStatus.values else value
    if english():
        label = gettext(str(label))  # frozen public data holds the Chinese label
    lang = mark_safe(' lang="zh-Hans"') if english() and is_chinese(label) else ""
    return format_html('<span class="status status-{}"{}>{}</span>', value, lang, label)
