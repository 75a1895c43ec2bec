"""The feed for the city platform (报送市政府门户网站“政策兑现专区”/“京策”, 24:二(四)1): every published item as a
documented JSON document with its tags, conditions and elements, and every change to it — including deletions
(withdrawn, lapsed) — as an ordered entry a platform pulls with `GET /api/v1/redemption/feed?since=SEQ`.
The JSON Schema is `docs/redemption-feed.schema.json`.

`write_entry` is called by the actions in their transaction, so the feed never misses or invents a change.
"""

from __future__ import annotations

from django.conf import settings

from .engine import AmountRule, describe_required
from .facts import FACTS
from .models import Condition, FeedEntry, FeedOp, NodeKind
from .tags import tag_index

SCHEMA_VERSION = "1.0"


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def rule_document(item, conditions=None) -> dict:
    """The condition tree as nested JSON (groups with children, conditions with their clause)."""
    tags = tag_index()
    rows = list(conditions if conditions is not None else item.conditions.all())
    children: dict = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)

    def node(row: Condition) -> dict:
        if row.kind in (NodeKind.ALL, NodeKind.ANY):
            return {
                "type": row.kind,
                "label": row.text,
                "children": [node(c) for c in children.get(row.pk, [])],
            }
        return {
            "type": "condition",
            "fact": row.fact,
            "fact_label": FACTS[row.fact].label if row.fact in FACTS else row.fact,
            "op": row.op,
            "value": row.value,
            "text": row.text
            or (FACTS[row.fact].label + describe_required(row.fact, row.op, row.value, tags)),
            "required": describe_required(row.fact, row.op, row.value, tags),
            "clause": {"article": row.clause_article, "text": row.clause_text},
        }

    roots = children.get(None, [])
    if len(roots) == 1 and roots[0].kind in (NodeKind.ALL, NodeKind.ANY):
        return node(roots[0])
    return {"type": "all", "label": "", "children": [node(r) for r in roots]}


def item_document(item) -> dict:
    policy = item.policy
    tags = sorted(item.tags.all(), key=lambda t: (t.dimension, t.sort_order, t.code))
    delivery = [t.code for t in tags if t.dimension == "delivery"]
    amount = AmountRule.of(item)
    return {
        "schema_version": SCHEMA_VERSION,
        "code": item.code,
        "title": item.title,
        "status": item.status,
        "url": _absolute(item.get_absolute_url()),
        "policy": {
            "id": policy.pk,
            "index_number": policy.index_number,
            "title": policy.title,
            "doc_number": policy.doc_number,
            "issuer": policy.issuer.name,
            "validity": policy.validity,
            "url": _absolute(policy.get_absolute_url()),
        },
        "department": {"code": item.department.code, "name": item.department.name},
        "summary": item.summary,
        "elements": {
            "conditions": item.conditions_text,
            "support_standard": item.support_standard,
            "application_period": item.application_period,
            "apply_start": item.apply_start.isoformat() if item.apply_start else None,
            "apply_end": item.apply_end.isoformat() if item.apply_end else None,
            "materials": item.materials,
            "handling_office": item.handling_office,
            "contact": item.contact,
        },
        "tags": [{"dimension": t.dimension, "code": t.code, "name": t.name} for t in tags],
        "delivery": delivery[0] if delivery else None,
        "amount": {
            "kind": amount.kind,
            "value": amount.value,
            "base": amount.base or None,
            "cap": amount.cap,
            "description": amount.describe(),
        },
        "rule": rule_document(item),
        "published_at": item.published_at.isoformat() if item.published_at else None,
        "updated_at": item.updated_at.isoformat() if item.updated_at else None,
    }


def write_entry(item, reason: str, *, delete: bool = False) -> FeedEntry:
    """Records a change of a published (or just withdrawn / lapsed) item. Call inside the action's transaction."""
    return FeedEntry.objects.create(
        item=item,
        item_code=item.code,
        op=FeedOp.DELETE if delete else FeedOp.UPSERT,
        reason=reason,
        document=item_document(item),
    )


def entry_json(entry: FeedEntry) -> dict:
    return {
        "seq": entry.pk,
        "op": entry.op,
        "reason": entry.reason,
        "at": entry.at.isoformat(),
        "code": entry.item_code,
        "item": entry.document if entry.op == FeedOp.UPSERT else None,
    }


def feed_page(since: int = 0, limit: int = 100) -> dict:
    limit = max(1, min(limit, 500))
    entries = list(FeedEntry.objects.filter(pk__gt=since).order_by("pk")[: limit + 1])
    more = len(entries) > limit
    entries = entries[:limit]
    return {
        "schema_version": SCHEMA_VERSION,
        "since": since,
        "next": entries[-1].pk if entries else since,
        "has_more": more,
        "entries": [entry_json(e) for e in entries],
    }


REASON_LABELS = {
    "published": "发布",
    "updated": "修改要素或标签",
    "conditions_changed": "修改条件",
    "tag_migrated": "标签库迁移",
    "withdrawn": "撤下",
    "lapsed": "随政策失效",
}
