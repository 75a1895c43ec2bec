"""Automatic checks run when a policy is submitted for review and shown to every reviewer.

Pluggable: `register_automatic_check(name, func, label)` with `func(policy) -> list[str]` (the problems, empty
when the check passes). The confidentiality scan registers itself here when that app is installed.
A check that raises is reported as a failed check with the error, never a crash.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gongkai.documents.doc_number import lint_doc_number

from . import rules

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class CheckOutcome:
    name: str
    label: str
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "problems": list(self.problems)}


_CHECKS: dict[str, tuple[str, Callable]] = {}


def register_automatic_check(name: str, func: Callable, label: str | None = None) -> None:
    """Adds (or replaces) a check. `func(policy) -> list[str]`."""
    _CHECKS[name] = (label or name, func)


def unregister_automatic_check(name: str) -> None:
    _CHECKS.pop(name, None)


def registered_checks() -> list[str]:
    return list(_CHECKS)


def run_automatic_checks(policy) -> list[CheckOutcome]:
    outcomes = []
    for name, (label, func) in _CHECKS.items():
        try:
            problems = [str(p) for p in (func(policy) or [])]
        except Exception as exc:  # a broken plug-in must not stop the review
            logger.exception("automatic check %s failed", name)
            problems = [_("检查程序出错：%(error)s") % {"error": exc.__class__.__name__}]
        outcomes.append(CheckOutcome(name, str(label), problems))
    return outcomes


def failed_problems(outcomes) -> list[str]:
    return [f"{o.label}：{p}" for o in outcomes for p in o.problems]


# --- the built-in checks ---------------------------------------------------------------------------------


def check_doc_number(policy) -> list[str]:
    if not policy.doc_number:
        return [_("缺少发文字号")]
    return [p.message for p in lint_doc_number(policy.doc_number)]


def check_metadata(policy) -> list[str]:
    names = list(rules.REQUIRED_METADATA_ALL)
    if policy.is_normative:
        names += rules.REQUIRED_METADATA_NORMATIVE
    names += rules.REQUIRED_METADATA_BY_TYPE.get(policy.policy_type, ())
    missing = []
    for name in dict.fromkeys(names):
        if name == "doc_number":
            continue  # reported by its own check
        value = getattr(policy, name if name != "theme" else "theme_id")
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            missing.append(str(policy._meta.get_field(name).verbose_name))
    if missing:
        return [
            _("缺少%(type)s必填信息：%(fields)s")
            % {"type": policy.get_policy_type_display(), "fields": "、".join(missing)}
        ]
    return []


def check_interpretation(policy) -> list[str]:
    """三同步: the interpretation is drafted, reviewed and published with the policy (24:二(三)2)."""
    if not policy.pk:
        return [_("未同步提交政策解读（三同步）")]
    from gongkai.policies.models import InterpretationStatus

    interpretations = list(policy.interpretations.exclude(status=InterpretationStatus.WITHDRAWN))
    if not interpretations:
        return [_("未同步提交政策解读（三同步）")]
    problems = []
    for item in interpretations:
        missing = item.missing_elements()
        if missing:
            problems.append(
                _("解读《%(title)s》缺少：%(missing)s") % {"title": item.title, "missing": "、".join(missing)}
            )
    return problems


def check_disclosure(policy) -> list[str]:
    from gongkai.policies.models import DisclosureAttribute

    if policy.disclosure != DisclosureAttribute.PROACTIVE and not policy.disclosure_reason.strip():
        return [_("公开属性为“%(attr)s”但未填写理由及依据") % {"attr": policy.get_disclosure_display()}]
    return []


def check_redemption(policy) -> list[str]:
    from gongkai.policies.models import PolicyType

    if policy.policy_type != PolicyType.SERVICE:
        return []
    missing = [label for label, value in policy.redemption_rows() if not (value or "").strip()]
    if missing:
        return [_("兑现办事类政策缺少兑现要素：%(fields)s") % {"fields": "、".join(missing)}]
    return []


def register_builtin_checks() -> None:
    register_automatic_check("doc_number", check_doc_number, _lazy("发文字号"))
    register_automatic_check("metadata", check_metadata, _lazy("必填信息"))
    register_automatic_check("interpretation", check_interpretation, _lazy("政策解读"))
    register_automatic_check("disclosure", check_disclosure, _lazy("公开属性"))
    register_automatic_check("redemption", check_redemption, _lazy("兑现要素"))
