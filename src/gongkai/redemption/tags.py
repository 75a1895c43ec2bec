"""The tag library: its seed values, and `TagIndex`, the read-only view matching uses (codes, names, synonyms,
retired values followed to their replacement).

Processes cache compiled rules and the tag index keyed on one version token stored in the database
(`RulesVersion`). Every action that changes an item, a condition or a tag writes a new token in its own
transaction, so every process sees the change on its next request (house rule 13).
"""

from __future__ import annotations

import dataclasses
import threading
import unicodedata
import uuid

from django.db import transaction
from django.utils import timezone

from . import industry, size_standard
from .models import Dimension, RulesVersion, TagStatus, TagValue

# Codes the program relies on (locked values).
NO_APPLICATION = "no_application"  # 免申即享
FAST_APPLICATION = "fast_application"  # 快申快享
APPLICATION = "application"  # 申报
ENTERPRISE, PERSON, SOCIAL_ORGANISATION = "enterprise", "person", "social_organisation"

# (code, name, synonyms) per fixed dimension.
SEED_VALUES: dict[str, list[tuple[str, str, list[str]]]] = {
    Dimension.SIZE: [
        (size_standard.LARGE, "大型", ["大型企业"]),
        (size_standard.MEDIUM, "中型", ["中型企业"]),
        (size_standard.SMALL, "小型", ["小型企业"]),
        (size_standard.MICRO, "微型", ["微型企业", "小微企业"]),
    ],
    Dimension.QUALIFICATION: [
        ("hnte", "高新技术企业", ["国家高新技术企业", "高企"]),
        ("zgc_hnte", "中关村高新技术企业", ["中关村高新"]),
        ("tsme", "科技型中小企业", ["科技型中小企业评价入库企业"]),
        ("innovative_sme", "创新型中小企业", []),
        ("srdi", "专精特新中小企业", ["专精特新", "专精特新企业", "北京市专精特新中小企业"]),
        (
            "little_giant",
            "专精特新“小巨人”企业",
            ["小巨人", "小巨人企业", "国家级专精特新小巨人企业", "专精特新小巨人"],
        ),
        ("listed", "上市企业", ["上市公司"]),
        ("enterprise_tech_center", "企业技术中心", ["市级企业技术中心"]),
    ],
    Dimension.SUPPORT: [
        ("subsidy", "资金补贴", ["资金支持", "奖励", "补贴", "资金奖励"]),
        ("tax", "税收", ["税收优惠", "减税降费"]),
        ("finance", "金融", ["金融支持", "贷款贴息", "融资担保"]),
        ("talent", "人才", ["人才支持", "人才引进"]),
        ("land", "用地", ["用地保障", "空间支持", "房租补贴"]),
        ("service", "服务", ["政务服务", "专项服务"]),
    ],
    Dimension.TARGET: [
        (ENTERPRISE, "企业", ["法人企业", "市场主体"]),
        (PERSON, "个人", ["自然人", "个体工商户"]),
        (SOCIAL_ORGANISATION, "社会组织", ["社会团体", "民办非企业单位"]),
    ],
    Dimension.DELIVERY: [
        (NO_APPLICATION, "免申即享", ["免申即兑", "无感兑现"]),
        (FAST_APPLICATION, "快申快享", ["即申即享"]),
        (APPLICATION, "申报", ["依申请", "申报审核"]),
    ],
}
LOCKED = {(Dimension.DELIVERY, c) for c, _n, _s in SEED_VALUES[Dimension.DELIVERY]} | {
    (Dimension.SIZE, c) for c, _n, _s in SEED_VALUES[Dimension.SIZE]
}
INDUSTRY_SYNONYMS = {
    "65": ["软件业", "软件和信息服务业", "信息技术服务"],
    "64": ["互联网"],
    "I": ["信息服务业", "信息技术产业"],
    "J": ["金融"],
    "M": ["科技服务业", "科技服务"],
    "73": ["研发", "研究开发"],
    "72": ["商务服务"],
    "F": ["商贸", "商贸流通"],
    "R": ["文化产业", "文体娱乐"],
    "C": ["工业制造"],
    "H": ["住宿餐饮"],
}


def seed_tag_library() -> str:
    """Creates the values that are missing (idempotent; staff edits are kept). Registered as a setup hook."""
    from gongkai.core.models import Department, DepartmentKind

    created = 0
    with transaction.atomic():
        sections = {}
        for order, row in enumerate(industry.load_table()):
            parent = sections.get(row["parent"]) if row["parent"] else None
            value, made = TagValue.objects.get_or_create(
                dimension=Dimension.INDUSTRY,
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "parent": parent,
                    "source": industry.STANDARD,
                    "description": row["note"],
                    "sort_order": order,
                    "synonyms": INDUSTRY_SYNONYMS.get(row["code"], []),
                },
            )
            created += made
            if row["level"] == industry.SECTION:
                sections[row["code"]] = value
        for dimension, rows in SEED_VALUES.items():
            for order, (code, name, synonyms) in enumerate(rows):
                _value, made = TagValue.objects.get_or_create(
                    dimension=dimension,
                    code=code,
                    defaults={
                        "name": name,
                        "synonyms": synonyms,
                        "sort_order": (order + 1) * 10
                        if dimension != Dimension.SIZE
                        else size_standard.RANK[code],
                        "locked": (dimension, code) in LOCKED,
                        "source": size_standard.DOCUMENT if dimension == Dimension.SIZE else "",
                    },
                )
                created += made
        for dept in Department.objects.filter(is_active=True):
            if dept.kind == DepartmentKind.SUBDISTRICT:
                dimension = Dimension.AREA
                short = dept.display_name
                synonyms = [
                    n for n in {dept.name, short.removesuffix("街道"), *dept.aliases} if n and n != short
                ]
            elif dept.makes_policy and dept.kind in (DepartmentKind.BUREAU, DepartmentKind.DISTRICT_BODY):
                dimension = Dimension.AUTHORITY
                short = dept.display_name
                synonyms = [n for n in {dept.name, *dept.aliases} if n and n != short]
            else:
                continue
            _value, made = TagValue.objects.get_or_create(
                dimension=dimension,
                code=dept.code,
                defaults={
                    "name": short,
                    "synonyms": sorted(synonyms),
                    "department": dept,
                    "sort_order": dept.sort_order,
                },
            )
            created += made
        if created:
            bump_version()
    return f"标签库新增 {created} 个值，共 {TagValue.objects.count()} 个"


# --- the version every cache is keyed on ---------------------------------------------------------------------


def bump_version() -> None:
    """Call inside the transaction of every change that affects matching."""
    from gongkai.core.pagecache import content_changed

    content_changed()  # the cached portal pages show tags and conditions too
    token = uuid.uuid4().hex
    if not RulesVersion.objects.filter(pk=1).update(token=token, changed_at=timezone.now()):
        RulesVersion.objects.update_or_create(pk=1, defaults={"token": token})


def current_version() -> str:
    return RulesVersion.objects.filter(pk=1).values_list("token", flat=True).first() or ""


# --- the index ----------------------------------------------------------------------------------------------


def normalise_name(text) -> str:
    text = unicodedata.normalize("NFKC", str(text or ""))
    for ch in " \t\u3000“”\"'‘’「」《》()（）":
        text = text.replace(ch, "")
    return text.lower()


@dataclasses.dataclass(frozen=True)
class TagInfo:
    dimension: str
    code: str
    name: str
    label: str
    rank: int
    active: bool
    replaced_by: str | None
    parent: str | None


class TagIndex:
    """Codes, names and synonyms of every value, for resolving what people type and for labels."""

    def __init__(self, values):
        self.values: dict[tuple[str, str], TagInfo] = {}
        self.stamp: tuple = ()
        self._ranks: dict[str, dict] = {}
        self.lookup: dict[str, dict[str, str]] = {d: {} for d in Dimension.values}
        ids = {}
        rows = list(values)
        for v in rows:
            ids[v.pk] = v
        for v in rows:
            replaced = ids[v.replaced_by_id].code if v.replaced_by_id in ids else None
            parent = ids[v.parent_id].code if v.parent_id in ids else None
            info = TagInfo(
                v.dimension,
                v.code,
                v.name,
                industry.label_of(v.code) if v.dimension == Dimension.INDUSTRY else v.name,
                v.sort_order,
                v.status == TagStatus.ACTIVE,
                replaced,
                parent,
            )
            self.values[(v.dimension, v.code)] = info
        # Active values' names win over retired ones' when both are spelled the same.
        for info_rows in (
            [v for v in rows if v.status != TagStatus.ACTIVE],
            [v for v in rows if v.status == TagStatus.ACTIVE],
        ):
            for v in info_rows:
                table = self.lookup[v.dimension]
                for name in v.all_names():
                    table[normalise_name(name)] = v.code
                table[normalise_name(v.code)] = v.code

    def get(self, dimension, code) -> TagInfo | None:
        return self.values.get((dimension, code))

    def follow(self, dimension, code) -> str:
        """A retired value's current replacement (following a chain), or the code itself."""
        seen = set()
        while True:
            info = self.values.get((dimension, code))
            if info is None or info.active or not info.replaced_by or code in seen:
                return code
            seen.add(code)
            code = info.replaced_by

    def resolve(self, dimension, text) -> str | None:
        """A code from a code, a name or a synonym; retired values resolve to their replacement. Industry codes
        finer than the library's divisions (651, 6513) are accepted as they are."""
        if text is None:
            return None
        raw = str(text).strip()
        if not raw:
            return None
        if dimension == Dimension.INDUSTRY:
            code = industry.normalise_code(raw)
            if code is not None:
                return code
        code = self.lookup.get(dimension, {}).get(normalise_name(raw))
        if code is None:
            return None
        info = self.values.get((dimension, code))
        if info is not None and not info.active and not info.replaced_by:
            return None  # retired without replacement: no longer a valid answer
        return self.follow(dimension, code)

    def label(self, dimension, code) -> str:
        if dimension == Dimension.INDUSTRY:
            return industry.label_of(code) or str(code)
        info = self.values.get((dimension, code))
        return info.label if info else str(code)

    def rank(self, dimension, code) -> int | None:
        info = self.values.get((dimension, code))
        return info.rank if info else None

    def ranks(self, dimension) -> dict[str, int]:
        """code → order of an ordered dimension (size: micro 1 … large 4)."""
        table = self._ranks.get(dimension)
        if table is None:
            table = self._ranks[dimension] = {
                c: i.rank for (d, c), i in self.values.items() if d == dimension
            }
        return table

    def choices(self, dimension, *, active_only=True) -> list[tuple[str, str]]:
        rows = [i for (d, _c), i in self.values.items() if d == dimension and (i.active or not active_only)]
        rows.sort(key=lambda i: (i.rank, i.code))
        return [(i.code, i.label) for i in rows]


_cache_lock = threading.Lock()
_cache: dict[str, tuple[str, object]] = {}


def cached(name: str, build):
    """`build(previous)` once per database version and process; rebuilt as soon as any process bumps the
    version. `previous` (the value built for an older version, or None) lets a builder reuse what did not
    change."""
    version = current_version()
    with _cache_lock:
        hit = _cache.get(name)
        if hit is not None and hit[0] == version:
            return hit[1]
    value = build(hit[1] if hit is not None else None)
    with _cache_lock:
        _cache[name] = (version, value)
    return value


def tag_stamp() -> tuple:
    """Changes whenever a tag value is added or changed (names, synonyms, retirement)."""
    from django.db.models import Count, Max

    row = TagValue.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (row["n"], row["last"].isoformat() if row["last"] else "")


def _build_index(previous):
    stamp = tag_stamp()
    if previous is not None and previous.stamp == stamp:
        return previous
    index = TagIndex(TagValue.objects.all())
    index.stamp = stamp
    return index


def tag_index() -> TagIndex:
    return cached("tag_index", _build_index)
