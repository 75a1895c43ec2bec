"""The validity status (有效性) of a policy, derived from its dates and from the acts recorded against it.

Rules, in order:
1. Declared 废止 / 失效 in a validity clean-up (24:二(二)3) wins.
2. Repealed by a published policy (a `repeals` relation), or its 废止日期 has passed → 已废止.
3. Its validity period has run out → 失效. A normative document's period is counted from its 实施日期;
   行政规范性文件 carry a validity period of at most 5 years (《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》
   国办发〔2018〕37号 on 有效期; Beijing's practice: generally no more than 5 years) — see `MAX_NORMATIVE_VALIDITY_YEARS`.
4. 实施日期 still in the future → 尚未生效.
5. Amended by a published policy (an `amends` relation) → 已修改 (still in force as amended).
6. Otherwise → 有效.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

# 行政规范性文件有效期一般不超过5年 (国办发〔2018〕37号; 北京市行政规范性文件管理规定).
MAX_NORMATIVE_VALIDITY_YEARS = 5


def today() -> datetime.date:
    return timezone.localdate()


def expiry_date(policy) -> datetime.date | None:
    """Last day the policy is valid under its validity period, or None when it has none."""
    if not policy.validity_years:
        return None
    start = policy.effective_date or policy.publish_date or policy.written_date
    if start is None:
        return None
    try:
        end = start.replace(year=start.year + policy.validity_years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + policy.validity_years, day=28)
    return end - datetime.timedelta(days=1)


def compute_validity(policy, on: datetime.date | None = None) -> str:
    from .models import RelationKind, Validity

    on = on or today()
    if policy.validity_declared:
        return policy.validity_declared
    incoming = []
    if policy.pk:
        incoming = list(
            policy.incoming_relations.filter(policy__live=True).values_list("kind", flat=True).distinct()
        )
    if RelationKind.REPEALS in incoming or RelationKind.REPLACES in incoming:
        return Validity.REPEALED
    if policy.repeal_date and policy.repeal_date <= on:
        return Validity.REPEALED
    end = expiry_date(policy)
    if end is not None and end < on:
        return Validity.EXPIRED
    if policy.effective_date and policy.effective_date > on:
        return Validity.NOT_YET_EFFECTIVE
    if RelationKind.AMENDS in incoming:
        return Validity.AMENDED
    return Validity.VALID


def refresh_validity(policies=None, on: datetime.date | None = None) -> int:
    """Recomputes the stored status of the given policies (all by default). Returns how many changed."""
    from .models import Policy

    changed = 0
    qs = policies if policies is not None else Policy.objects.all()
    for policy in qs.iterator() if hasattr(qs, "iterator") else qs:
        status = compute_validity(policy, on)
        if status != policy.validity:
            Policy.objects.filter(pk=policy.pk).update(validity=status)
            policy.validity = status
            changed += 1
    return changed
