"""What the redemption app shows inside other apps' pages: the policy page's items (and the usage beacon), the
review's automatic check, and the sandbox figures at the 测算必要性 point of the review."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongkai.policies.models import PolicyType

from .models import ItemStatus, NodeKind, RedemptionItem, SandboxRun
from .permissions import can_edit_item, can_view_sandbox


def policy_items_panel(request, policy):
    if not policy.is_public:
        return None
    items = list(
        RedemptionItem.objects.filter(policy=policy, status=ItemStatus.PUBLISHED)
        .select_related("department")
        .prefetch_related("tags")
    )
    return {"items": items, "policy_id": policy.pk}


def review_items_check(policy) -> list[str]:
    """For a 兑现办事 policy: at least one redemption item, each with conditions (with their clauses), the core
    elements, and the 兑现方式 and 支持方式 tags (24:二(四)1 标签化处理，明确政策核心要素)."""
    if policy.policy_type != PolicyType.SERVICE:
        return []
    if not policy.pk:
        return [_("兑现办事类政策尚未拆分兑现事项")]
    items = list(policy.redemption_items.exclude(status__in=[ItemStatus.WITHDRAWN, ItemStatus.LAPSED]))
    if not items:
        return [_("兑现办事类政策尚未拆分兑现事项（规则单元）")]
    problems = []
    for item in items:
        missing = []
        leaves = item.conditions.filter(kind=NodeKind.FACT)
        if not leaves.exists():
            missing.append(_("可判断的申报条件"))
        elif leaves.filter(clause_article="", clause_text="").exists():
            missing.append(_("条件出处"))
        missing += [label for label, value in item.element_rows() if not (value or "").strip()]
        dims = {t.dimension for t in item.tags.all()}
        if "delivery" not in dims:
            missing.append(_("兑现方式标签"))
        if "support" not in dims:
            missing.append(_("支持方式标签"))
        if missing:
            problems.append(
                _("事项《%(title)s》缺少：%(missing)s")
                % {"title": item.title, "missing": "、".join(map(str, missing))}
            )
    return problems


def sandbox_panel(request, policy, draft):
    """The latest sandbox run of each item of the policy, for the reviewers and the drafting department."""
    if policy.policy_type != PolicyType.SERVICE and draft.policy_type != PolicyType.SERVICE:
        return None
    items = list(
        policy.redemption_items.exclude(status__in=[ItemStatus.WITHDRAWN, ItemStatus.LAPSED]).select_related(
            "policy"
        )
    )
    items = [i for i in items if can_view_sandbox(request.user, i)]
    if not items:
        return {"rows": [], "policy": policy}
    rows = []
    for item in items:
        run = SandboxRun.objects.filter(item=item).first()
        rows.append({"item": item, "run": run, "can_run": can_edit_item(request.user, item)})
    return {"rows": rows, "policy": policy}
