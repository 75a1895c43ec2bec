"""`/api/v1/redemption`: matching with explanations, the public items and tag library, the feed for the city
platform (京策), 免申即享 lists and published evaluation reports. Only public data; no profile is stored."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict

from gongkai.core import ratelimit

from . import feed
from .engine import ELIGIBLE, NOT_ELIGIBLE, UNKNOWN
from .matching import match_profile, record_match
from .models import (
    Dimension,
    Evaluation,
    FeedEntry,
    MatchSource,
    NoApplicationRun,
    RedemptionItem,
    RunStatus,
    TagValue,
)

router = Router(tags=["惠企政策兑现"])
MAX_MATCH_BODY = 20_000


class ProfileIn(Schema):
    """An enterprise profile. Keys may also be the Chinese labels (所属行业, 从业人员 …); values as people write
    them (tag codes, names or synonyms; numbers; dates like 2019-05-01; 是/否)."""

    model_config = ConfigDict(extra="allow")

    entity_type: str | None = Field(
        None, description="主体类型：enterprise / person / social_organisation 或 企业、个人、社会组织"
    )
    industry: str | None = Field(
        None, description="所属行业：GB/T 4754-2017 代码（门类字母、两位大类或更细）或名称"
    )
    size: str | None = Field(
        None,
        description="企业规模：large / medium / small / micro 或 大型、中型、小型、微型；不填则按国家标准测算",
    )
    qualifications: list[str] | str | None = Field(None, description="资质：代码或名称的列表；空列表表示没有")
    area: str | None = Field(None, description="注册地所在街道（名称或代码）")
    in_district: bool | str | None = Field(None, description="工商注册和税收关系是否在本区")
    founded_on: str | None = Field(None, description="成立日期 YYYY-MM-DD")
    employees: float | str | None = Field(None, description="从业人员（人）")
    revenue: float | str | None = Field(None, description="上年度营业收入（万元）")
    assets: float | str | None = Field(None, description="资产总额（万元）")
    tax_paid: float | str | None = Field(None, description="上年度纳税总额（万元）")
    rd_expense: float | str | None = Field(None, description="上年度研发费用（万元）")
    good_credit: bool | str | None = Field(None, description="无严重违法失信记录")


class ConditionOut(Schema):
    text: str
    fact: str
    required: str
    given: str | None
    met: bool | None
    clause: str


class MatchOut(Schema):
    item: str = Field(..., description="事项编码")
    policy_id: int
    title: str
    result: str = Field(..., description="eligible / not_eligible / unknown")
    conditions: list[ConditionOut]


class ErrorOut(Schema):
    detail: str
    errors: list[str] = []


class MatchFilters(Schema):
    result: list[str] = Field([], description="只返回这些结果：eligible / unknown / not_eligible")
    limit: int | None = Field(None, ge=1, le=10_000)
    as_of: datetime.date | None = Field(None, description="判断日期（默认今天）")


@router.post(
    "/match",
    response={200: list[MatchOut], 400: ErrorOut, 429: ErrorOut},
    summary="政策匹配：企业信息与全部现行兑现事项逐条比对",
)
def match(request, profile: ProfileIn, filters: Query[MatchFilters]):
    """Answers exactly what `gongkai match --profile FILE --json` prints: every current item, ranked (eligible
    first), each condition with the fact given, the requirement, met (true / false / null = unknown) and the
    clause it comes from."""
    if len(request.body or b"") > MAX_MATCH_BODY:
        return Status(400, {"detail": "请求过大", "errors": []})
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return Status(400, {"detail": "请求体应为企业信息的 JSON 对象", "errors": []})
    if not ratelimit.hit(request, "redemption.match"):
        return Status(429, {"detail": "匹配请求过于频繁，请稍后再试", "errors": []})
    wanted = [r for r in filters.result if r]
    bad = [r for r in wanted if r not in (ELIGIBLE, UNKNOWN, NOT_ELIGIBLE)]
    if bad:
        return Status(400, {"detail": "result 参数只能是 eligible、unknown、not_eligible", "errors": bad})
    # The body as sent (Chinese keys and values as people write them); `profile` documents it in OpenAPI.
    raw: dict[str, Any] = {k: v for k, v in body.items() if v is not None}
    report = match_profile(raw, as_of=filters.as_of)
    if report.errors:
        return Status(400, {"detail": "企业信息有误", "errors": report.errors})
    record_match(report, MatchSource.API)
    return Status(200, report.as_json(results=wanted or None, limit=filters.limit))


class TagOut(Schema):
    code: str
    name: str
    synonyms: list[str]
    parent: str | None
    status: str
    replaced_by: str | None


class DimensionOut(Schema):
    dimension: str
    label: str
    values: list[TagOut]


@router.get("/tags", response=list[DimensionOut], summary="标签库（含已停用的值及其替代值）")
def tags(request):
    values = TagValue.objects.select_related("parent", "replaced_by").order_by(
        "dimension", "sort_order", "code"
    )
    by_dim: dict[str, list] = {d: [] for d in Dimension.values}
    for v in values:
        by_dim[v.dimension].append(
            {
                "code": v.code,
                "name": v.name,
                "synonyms": list(v.synonyms),
                "parent": v.parent.code if v.parent_id else None,
                "status": v.status,
                "replaced_by": v.replaced_by.code if v.replaced_by_id else None,
            }
        )
    return [{"dimension": d, "label": str(Dimension(d).label), "values": by_dim[d]} for d in Dimension.values]


class ItemSummaryOut(Schema):
    code: str
    title: str
    policy_id: int
    policy_title: str
    department: str
    delivery: str | None
    apply_end: datetime.date | None
    url: str


class ItemListOut(Schema):
    count: int
    page: int
    results: list[ItemSummaryOut]


class ItemFilters(Schema):
    tag: list[str] = Field(
        [],
        description="维度:代码，例如 industry:65、delivery:no_application；同一维度内为“或”，不同维度为“且”",
    )
    q: str = Field("", max_length=100)
    current: bool = Field(True, description="只返回正在申报期内的事项")
    page: int = Field(1, ge=1, le=10_000)


def filter_items(queryset, tag_filters, q=""):
    by_dim: dict[str, list[str]] = {}
    for raw in tag_filters:
        if ":" not in raw:
            continue
        dimension, code = raw.split(":", 1)
        if dimension in Dimension.values and code:
            by_dim.setdefault(dimension, []).append(code[:40])
    for dimension, codes in by_dim.items():
        if dimension == Dimension.INDUSTRY:
            # a section also finds the items tagged with its divisions
            children = TagValue.objects.filter(dimension=dimension, parent__code__in=codes).values_list(
                "code", flat=True
            )
            codes = list(codes) + list(children)
        queryset = queryset.filter(tags__dimension=dimension, tags__code__in=codes)
    q = (q or "").strip()
    if q:
        for word in q.split()[:5]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(policy__title__icontains=word)
                | Q(support_standard__icontains=word)
                | Q(conditions_text__icontains=word)
            )
    return queryset.distinct()


def _summary(item) -> dict:
    delivery = [t.code for t in item.tags.all() if t.dimension == Dimension.DELIVERY]
    return {
        "code": item.code,
        "title": item.title,
        "policy_id": item.policy_id,
        "policy_title": item.policy.title,
        "department": item.department.display_name,
        "delivery": delivery[0] if delivery else None,
        "apply_end": item.apply_end,
        "url": item.get_absolute_url(),
    }


@router.get("/items", response=ItemListOut, summary="惠企政策兑现事项（按标签查找）")
def items(request, filters: Query[ItemFilters]):
    base = RedemptionItem.objects.current() if filters.current else RedemptionItem.objects.public()
    qs = (
        filter_items(base, filters.tag, filters.q)
        .select_related("policy", "department")
        .prefetch_related("tags")
    )
    qs = qs.order_by("-published_at", "-id")
    count = qs.count()
    start = (filters.page - 1) * 50
    return {"count": count, "page": filters.page, "results": [_summary(i) for i in qs[start : start + 50]]}


@router.get("/items/{code}", summary="一个兑现事项的完整数据（与报送数据格式相同）")
def item_detail(request, code: str):
    item = get_object_or_404(
        RedemptionItem.objects.public().select_related("policy", "department"), code=code
    )
    return feed.item_document(item)


@router.get("/items/{code}/history", summary="一个事项的全部变更（报送记录）")
def item_history(request, code: str):
    entries = FeedEntry.objects.filter(item_code=code).order_by("pk")
    if not entries.exists():
        raise HttpError(404, "没有该事项的报送记录")
    return [feed.entry_json(e) for e in entries]


class FeedFilters(Schema):
    since: int = Field(0, ge=0, description="上次取到的最后一个 seq")
    limit: int = Field(100, ge=1, le=500)


@router.get("/feed", summary="报送京策平台的数据流：自 since 之后的全部新增、更新和删除")
def feed_view(request, filters: Query[FeedFilters]):
    """Each entry: `seq` (pass the last one as `since` next time), `op` upsert / delete, `reason`, `at`, `code`
    and, for upserts, the whole item. JSON Schema: docs/redemption-feed.schema.json."""
    return feed.feed_page(filters.since, filters.limit)


class BeneficiaryOut(Schema):
    name: str
    credit_code: str
    amount: float | None


class RunOut(Schema):
    id: int
    title: str
    item: str
    item_title: str
    policy_id: int
    department: str
    published_at: datetime.datetime
    beneficiaries: int
    total_amount: float
    url: str


class RunDetailOut(RunOut):
    rows: list[BeneficiaryOut]


def _run_summary(run) -> dict:
    return {
        "id": run.pk,
        "title": run.title,
        "item": run.item.code,
        "item_title": run.item.title,
        "policy_id": run.item.policy_id,
        "department": run.item.department.display_name,
        "published_at": run.published_at,
        "beneficiaries": run.beneficiaries.filter(included=True).count(),
        "total_amount": float(run.total_amount),
        "url": run.get_absolute_url(),
    }


def public_runs():
    return NoApplicationRun.objects.filter(
        status=RunStatus.PUBLISHED, item__policy__live=True, item__policy__disclosure="proactive"
    ).select_related("item", "item__department")


@router.get("/no-application", response=list[RunOut], summary="免申即享公示名单")
def no_application_lists(request):
    return [_run_summary(r) for r in public_runs()[:200]]


@router.get("/no-application/{run_id}", response=RunDetailOut, summary="一批免申即享名单（不含个人信息）")
def no_application_list(request, run_id: int):
    run = get_object_or_404(public_runs(), pk=run_id)
    rows = [
        {
            "name": b.public_name,
            "credit_code": b.credit_code,
            "amount": float(b.amount) if b.amount is not None else None,
        }
        for b in run.beneficiaries.filter(included=True).order_by("id")
    ]
    return {**_run_summary(run), "rows": rows}


class EvaluationOut(Schema):
    id: int
    title: str
    year: int
    policy_id: int
    department: str
    published_at: datetime.datetime | None
    url: str


@router.get("/evaluations", response=list[EvaluationOut], summary="已公开的政策评价报告")
def evaluations(request):
    rows = Evaluation.objects.public().select_related("department")
    return [
        {
            "id": e.pk,
            "title": e.title,
            "year": e.year,
            "policy_id": e.policy_id,
            "department": e.department.display_name,
            "published_at": e.published_at,
            "url": e.get_absolute_url(),
        }
        for e in rows
    ]
