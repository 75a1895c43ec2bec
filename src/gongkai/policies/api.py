"""`/api/v1/policies`: the public policy library for anonymous clients (published 主动公开 records only)."""

from __future__ import annotations

import datetime
from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema

from gongkai.policies.files import attachment_links
from gongkai.search.service import MAX_QUERY_LENGTH, SearchOptions, search_policies

from .models import Policy

router = Router(tags=["政策文件"])


class DepartmentOut(Schema):
    id: int
    name: str
    short_name: str
    external: bool = Field(False, description="区外机关（外部机关）")


class PolicySummaryOut(Schema):
    id: int
    index_number: str
    title: str
    doc_number: str
    issuer: DepartmentOut
    policy_type: str
    policy_type_label: str
    document_kind: str
    document_kind_label: str
    is_normative: bool
    publish_date: datetime.date | None
    validity: str
    validity_label: str
    url: str
    snippet: str = ""


class AttachmentOut(Schema):
    title: str
    url: str
    size: int


class RelationOut(Schema):
    kind: str
    kind_label: str
    policy_id: int
    title: str


class PolicyDetailOut(PolicySummaryOut):
    joint_issuers: list[DepartmentOut]
    theme: str | None
    written_date: datetime.date | None
    effective_date: datetime.date | None
    repeal_date: datetime.date | None
    valid_until: datetime.date | None
    summary: str
    body: str
    attachments: list[AttachmentOut]
    relations: list[RelationOut]


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class FacetOut(Schema):
    field: str
    label: str
    values: list[FacetValueOut]


class PolicyListOut(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    message: str = ""
    results: list[PolicySummaryOut]
    facets: list[FacetOut]


class PolicyFilters(Schema):
    q: str = Field("", max_length=10_000, description="检索词（至少2个字）")
    department: int | None = Field(None, description="发文机构编号")
    year: int | None = Field(None, ge=1949, le=2100, description="发布年份")
    type: str | None = Field(None, description="政策类型：macro_plan / action_plan / service")
    kind: str | None = Field(
        None,
        description="文件类别：law / administrative_regulation / local_regulation / rule / normative / other",
    )
    origin: str | None = Field(
        None, description="本区/外部：district（本区部门发文）/ external（区外机关发文）"
    )
    theme: int | None = Field(None, description="主题分类编号")
    validity: str | None = Field(
        None, description="有效性：not_yet_effective / valid / amended / repealed / expired"
    )
    sort: Literal["relevance", "date", "date_asc", "doc_number"] = Field(
        "relevance",
        description="排序：relevance 相关度 / date 发布日期新→旧 / date_asc 旧→新 / doc_number 发文字号",
    )
    date_from: datetime.date | None = Field(None, description="发布日期起（含），YYYY-MM-DD")
    date_to: datetime.date | None = Field(None, description="发布日期止（含），YYYY-MM-DD")
    title_only: bool = Field(False, description="只在标题和发文字号中检索")
    doc_number: str = Field("", max_length=60, description="发文字号包含（括号〔〕[]（）可互换）")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=100)


def _department(d) -> dict:
    return {"id": d.pk, "name": d.name, "short_name": d.short_name, "external": d.is_external}


def _summary(policy: Policy, snippet: str = "") -> dict:
    return {
        "id": policy.pk,
        "index_number": policy.index_number,
        "title": policy.title,
        "doc_number": policy.doc_number,
        "issuer": _department(policy.issuer),
        "policy_type": policy.policy_type,
        "policy_type_label": str(policy.get_policy_type_display()),
        "document_kind": policy.document_kind,
        "document_kind_label": str(policy.get_document_kind_display()),
        "is_normative": policy.is_normative,
        "publish_date": policy.publish_date,
        "validity": policy.validity,
        "validity_label": str(policy.get_validity_display()),
        "url": policy.get_absolute_url(),
        "snippet": snippet,
    }


@router.get("", response=PolicyListOut, summary="政策文件列表与检索")
def list_policies(request, filters: Query[PolicyFilters]):
    query = filters.q.strip()[:MAX_QUERY_LENGTH]
    message = ""
    if query and len(query) < 2:
        message, query = "检索词至少需要2个字，已忽略", ""
    wanted = {
        "department": filters.department,
        "year": filters.year,
        "type": filters.type,
        "kind": filters.kind,
        "origin": filters.origin,
        "theme": filters.theme,
        "validity": filters.validity,
    }
    wanted = {k: str(v) for k, v in wanted.items() if v not in (None, "")}
    options = SearchOptions(
        sort=filters.sort,
        date_from=filters.date_from,
        date_to=filters.date_to,
        title_only=filters.title_only,
        doc_number=filters.doc_number,
    )
    result = search_policies(query, wanted, page=filters.page, per_page=filters.page_size, options=options)
    from django.utils.html import strip_tags

    return {
        "count": result.total,
        "page": result.page,
        "page_size": result.per_page,
        "pages": result.pages,
        "message": message or result.message,
        "results": [
            _summary(hit.policy, strip_tags(hit.snippet_html) if query else "") for hit in result.hits
        ],
        "facets": [
            {
                "field": f.field,
                "label": f.label,
                "values": [{"value": v, "label": lbl, "count": n} for v, lbl, n in f.values],
            }
            for f in result.facets
        ],
    }


@router.get("/{int:policy_id}", response=PolicyDetailOut, summary="政策文件详情")
def get_policy(request, policy_id: int):
    policy = Policy.objects.public().select_related("issuer", "theme").filter(pk=policy_id).first()
    if policy is None:
        raise Http404("该文件不存在或未公开")
    data = _summary(policy)
    data.update(
        {
            "joint_issuers": [_department(d) for d in policy.joint_issuers.all()],
            "theme": str(policy.theme) if policy.theme else None,
            "written_date": policy.written_date,
            "effective_date": policy.effective_date,
            "repeal_date": policy.repeal_date,
            "valid_until": policy.valid_until,
            "summary": policy.summary,
            "body": policy.body,
            "attachments": [
                {"title": a["title"], "url": a["url"], "size": a["size"]} for a in attachment_links(policy)
            ],
            "relations": [
                {
                    "kind": r.kind,
                    "kind_label": str(r.get_kind_display()),
                    "policy_id": r.target_id,
                    "title": r.target.title,
                }
                for r in policy.relations.select_related("target")
                if r.target.is_public
            ],
        }
    )
    return data
