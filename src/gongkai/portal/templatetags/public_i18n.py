"""The English site's content helpers (docs/portal.md, "English site").

Interface strings are translated with `{% translate %}` and the apps' `locale/en` catalogues. Content — policy
titles and bodies, department names, anything a person typed in Chinese — stays Chinese and must say so: the
element that holds it carries `lang="zh-Hans"`, so that a screen reader on an English page reads it with a
Chinese voice. These helpers do that for values that may or may not have an English version.

    {% load public_i18n %}
    {{ policy.issuer|dept_name }}         English name when there is one on English pages, else the Chinese
                                          name in <span lang="zh-Hans">
    {% policy_title policy %}             the English title (English pages, when there is one), else the Chinese
    {{ value|zh }}                        any Chinese content value inline: <span lang="zh-Hans">…</span>
"""

from django import template
from django.utils.html import format_html

from ..i18n import english, is_chinese

register = template.Library()


@register.filter
def zh(value):
    """Content that may be Chinese, inline: wrapped in `<span lang="zh-Hans">` when it contains Chinese
    characters, as it is otherwise (numbers, dates, English)."""
    if value in (None, ""):
        return ""
    if not is_chinese(value):
        return value
    return format_html('<span lang="zh-Hans">{}</span>', value)


@register.filter
def zh_attr(value):
    """` lang="zh-Hans"` for an element whose whole text is `value`, when it contains Chinese (else nothing)."""
    from django.utils.safestring import mark_safe

    return mark_safe(' lang="zh-Hans"') if is_chinese(value) else ""


@register.filter
def dept_name(department, short=False):
    """A department's public name: its English name on English pages when it has one, else its Chinese name
    (full name, or the short one with `|dept_name:"short"`) tagged `lang="zh-Hans"`."""
    if department is None:
        return ""
    if english() and getattr(department, "name_en", ""):
        return department.name_en
    name = department.display_name if short else department.name
    return zh(name)


@register.simple_tag
def policy_title(policy, title_html=None):
    """A policy's title in a list or heading: on English pages the English title when the policy has one (the
    Chinese title follows in a second line tagged zh-Hans), else the Chinese title tagged zh-Hans.
    `title_html` is the search's highlighted title (already escaped by the search)."""
    from django.utils.safestring import mark_safe

    chinese = mark_safe(title_html) if title_html else policy.title
    if english() and getattr(policy, "title_en", ""):
        return format_html('{} <span class="title-zh" lang="zh-Hans">{}</span>', policy.title_en, chinese)
    return format_html('<span lang="zh-Hans">{}</span>', chinese)


@register.simple_tag
def english_page() -> bool:
    return english()
