from django import template

from ..permissions import action_label

register = template.Library()


@register.filter
def audit_label(code):
    """The Chinese name of an audit-log action (`item.publish` → 发布)."""
    return action_label(code)


@register.filter
def feed_reason(code):
    from ..feed import REASON_LABELS

    return REASON_LABELS.get(code, code)
