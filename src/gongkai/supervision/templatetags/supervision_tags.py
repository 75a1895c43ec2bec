"""Badges for warning lights and statuses: always the words, the colour only adds to them."""

from django import template
from django.utils.html import format_html

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
    return format_html('<span class="light light-{}">{}</span>', light, text)


@register.simple_tag
def status_badge(value, label=""):
    if not label:
        label = str(TaskStatus(value).label) if value in TaskStatus.values else value
    return format_html('<span class="status status-{}">{}</span>', value, label)
