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

# Warnings before a validity period ends, in months (24:二(二)3 有效期届满前提醒: six months leave time for an
# evaluation and a re-issue, one month is the last call).
LAPSE_WARNING_MONTHS = (6, 1)


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
    """Recomputes the stored status of the given policies (all by default). Returns how many changed.
    A policy that becomes 失效 or 已废止 is announced with the `policy_lapsed` signal."""
    from gongkai.core.pagecache import content_changed

    from .models import Policy, Validity
    from .signals import policy_lapsed

    changed = 0
    qs = policies if policies is not None else Policy.objects.all()
    for policy in qs.iterator() if hasattr(qs, "iterator") else qs:
        status = compute_validity(policy, on)
        if status != policy.validity:
            Policy.objects.filter(pk=policy.pk).update(validity=status)
            content_changed()  # QuerySet.update sends no signal: the cached public pages must still go
            policy.validity = status
            changed += 1
            if status in (Validity.EXPIRED, Validity.REPEALED):
                policy_lapsed.send(sender=Policy, policy=policy, status=status)
    return changed


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole calendar months (negative: back), the last day of the month when it has no such day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def due_lapse_warning(policy, on: datetime.date | None = None) -> int | None:
    """The warning (in months before the end) that is due for a policy on `on`, or None: only the nearest one,
    so a policy first seen a fortnight before its end gets the one-month warning, not the six-month one."""
    on = on or today()
    end = expiry_date(policy)
    if end is None or end < on:
        return None
    for months in sorted(LAPSE_WARNING_MONTHS):
        if on >= add_months(end, -months):
            return months
    return None


def send_lapse_warnings(on: datetime.date | None = None) -> int:
    """Notifies the issuing department of every published policy whose validity period ends within a warning
    period, once per policy, end date and warning (idempotent: the worker runs it every hour). Returns how
    many notices were sent."""
    from django.db.models import Q

    from gongkai.core.notify import notify

    from .models import Policy, Validity

    on = on or today()
    sent = 0
    candidates = (
        Policy.objects.filter(live=True, validity_years__isnull=False)
        .exclude(validity__in=[Validity.EXPIRED, Validity.REPEALED])
        .exclude(~Q(validity_declared=""))
        .select_related("issuer")
    )
    for policy in candidates:
        months = due_lapse_warning(policy, on)
        if months is None:
            continue
        end = expiry_date(policy)
        note = notify(
            subject=f"《{policy.title}》将于{end:%Y年%m月%d日}有效期届满（提前{months}个月提醒）",
            body=(
                f"《{policy.title}》{policy.doc_number}的有效期至{end:%Y年%m月%d日}。"
                "请及时评估：需要继续执行的，按程序修订后重新发布或延长有效期；不再执行的，届满后自动失效，"
                "相关解读、问答和兑现事项应同步调整。"
            ),
            department=policy.issuer,
            link=policy.get_absolute_url(),
            dedup_key=f"policy-lapse-warning:{policy.pk}:{end.isoformat()}:{months}",
        )
        if note is not None:
            sent += 1
    return sent


def lapse_due_policies(on: datetime.date | None = None) -> int:
    """Marks every policy whose validity period or 废止日期 has passed (the automatic lapse on the date); the
    status change announces itself with `policy_lapsed`. Idempotent."""
    from django.db.models import Q

    from .models import Policy, Validity

    on = on or today()
    candidates = Policy.objects.filter(
        Q(validity_years__isnull=False) | Q(repeal_date__isnull=False)
    ).exclude(validity__in=[Validity.EXPIRED, Validity.REPEALED])
    return refresh_validity(candidates, on)


def validity_explanation(policy) -> str:
    """Why the policy has its status, in Chinese, for the portal and the admin."""
    from .models import RelationKind, Validity

    if policy.validity_declared:
        return f"经文件清理宣布{policy.get_validity_declared_display()}" + (
            f"：{policy.validity_note}" if policy.validity_note else ""
        )
    verbs = {RelationKind.REPEALS: "废止", RelationKind.REPLACES: "替代", RelationKind.AMENDS: "修改"}
    parts = []
    if policy.pk:
        for rel in policy.incoming_relations.filter(policy__live=True, kind__in=list(verbs)).select_related(
            "policy"
        ):
            number = f"（{rel.policy.doc_number}）" if rel.policy.doc_number else ""
            parts.append(f"已被《{rel.policy.title}》{number}{verbs[rel.kind]}")
    if parts:
        return "；".join(parts)
    if policy.validity == Validity.REPEALED and policy.repeal_date:
        return f"自{policy.repeal_date:%Y年%m月%d日}起废止"
    end = expiry_date(policy)
    if policy.validity == Validity.EXPIRED and end:
        return f"有效期至{end:%Y年%m月%d日}，已失效"
    if end:
        return f"有效期至{end:%Y年%m月%d日}"
    return ""
