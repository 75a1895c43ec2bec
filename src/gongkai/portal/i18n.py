"""The English site's helpers for Python code (docs/portal.md, "English site"); templates use the
`public_i18n` tags, which build on these.

Interface strings are msgids in Chinese, translated in each app's `locale/en/LC_MESSAGES/django.po`. Content
(policy titles, department names, tag values, anything typed in Chinese) is not translated: it is marked
`lang="zh-Hans"` on the element that holds it, so that screen readers read it with a Chinese voice."""

from __future__ import annotations

import re

from django import forms
from django.utils import translation

# Han ideographs, CJK punctuation and full-width forms: text that a screen reader must read as Chinese.
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def english() -> bool:
    """True while rendering an English page."""
    return (translation.get_language() or "").startswith("en")


def is_chinese(text) -> bool:
    return bool(text) and bool(CHINESE.search(str(text)))


class ContentSelect(forms.Select):
    """A select whose options are content (department, area or industry names): an option whose label is in
    Chinese carries `lang="zh-Hans"`, so the English page's select reads each name in the right voice."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if is_chinese(label):
            option["attrs"] = {**option["attrs"], "lang": "zh-Hans"}
        return option


class ContentCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Check boxes whose labels are content; see `ContentSelect`. The option's `lang` goes on its <label>
    (Django's own option template puts the attributes on the <input> only)."""

    option_template_name = "portal/widgets/content_option.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if is_chinese(label):
            option["lang"] = "zh-Hans"
        return option


def department_label(department) -> str:
    """A department in a public form's choices: its English name on English pages when it has one."""
    return department.public_name()
