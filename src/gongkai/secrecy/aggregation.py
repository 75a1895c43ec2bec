"""Aggregation risk (汇聚风险, 24:三(三)1): documents that are harmless one by one can identify a person together —
a name with a phone number in one, the same name with an identity number in another.

`aggregation_risks(documents)` scans each document, links the personal items that belong together inside a
document (a name and the items on the same line, e.g. one row of a list), links items across documents by
equal values (the same name, the same phone number …), and reports every group that spans more than one
document and reveals, together, more kinds of personal data than any of its documents alone.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from . import scanner
from .redaction import mask_value
from .scanner import Finding

LINKABLE = scanner.PERSONAL_TYPES | {scanner.PERSON_NAME}
LINKS_A_LINE = frozenset(
    {scanner.PERSON_NAME, scanner.RESIDENT_ID, scanner.BANK_CARD, scanner.MOBILE, scanner.LICENCE_PLATE}
)
# Kinds whose combination with a name identifies a person beyond doubt: the group is high risk.
DECISIVE = frozenset({scanner.RESIDENT_ID, scanner.BANK_CARD})


@dataclasses.dataclass(frozen=True)
class AggregationRisk:
    severity: str
    documents: list[str]
    types: list[str]
    identifiers: list[str]  # masked, safe to show
    message: str

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def normalise_value(finding: Finding) -> str:
    """The value by which the same item is recognised in another document, whatever its spacing."""
    text = finding.text
    if finding.type == scanner.EMAIL:
        return text.strip().lower()
    if finding.type in (scanner.PERSON_NAME, scanner.ADDRESS):
        return re.sub(r"\s+", "", text)
    if finding.type == scanner.LICENCE_PLATE:
        return text[0] + re.sub(r"[^0-9A-Za-z]", "", text[1:]).upper()
    digits = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    if finding.type == scanner.MOBILE:
        return digits[-11:]  # without +86
    return digits


class _UnionFind:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def aggregation_risks(
    documents: Sequence[tuple[str, str]], findings: dict[str, list[Finding]] | None = None
) -> list[AggregationRisk]:
    """`documents`: (name, text) pairs. `findings`: already computed scans by document name (optional)."""
    from django.utils.translation import gettext as _

    from .models import FindingType

    uf = _UnionFind()
    seen_in: dict[tuple[str, str], set[str]] = defaultdict(set)  # node -> document names
    types_in: dict[str, set[str]] = defaultdict(set)  # document -> personal types it shows
    for name, text in documents:
        doc_findings = (findings or {}).get(name)
        if doc_findings is None:
            doc_findings = scanner.scan_text(text or "")
        by_line: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for f in doc_findings:
            if f.type not in LINKABLE:
                continue
            node = (f.type, normalise_value(f))
            uf.find(node)
            seen_in[node].add(name)
            types_in[name].add(f.type)
            by_line[text.rfind("\n", 0, f.start)].append(node)
        for nodes in by_line.values():
            # a line with a name, or with an item only a person has (an ID, a mobile, a card, a plate), links
            # everything on it; an office phone beside an office address says nothing about a person
            if any(kind in LINKS_A_LINE for kind, _v in nodes):
                for other in nodes[1:]:
                    uf.union(nodes[0], other)
    groups: dict = defaultdict(list)
    for node in seen_in:
        groups[uf.find(node)].append(node)
    risks = []
    for nodes in groups.values():
        docs = sorted(set().union(*(seen_in[n] for n in nodes)))
        if len(docs) < 2:
            continue
        kinds = {kind for kind, _v in nodes}
        if scanner.PERSON_NAME not in kinds and len(kinds) < 2:
            continue  # the same office phone in two documents is no risk
        best_single = max(len({k for k, _v in nodes if doc in seen_in[(k, _v)]}) for doc in docs)
        if len(kinds) <= best_single:
            continue  # nothing new learnt by putting them together
        # a name with an ID or a card, or with two other personal items (phone and home address, phone and
        # plate …), singles a person out: high
        personal = kinds - {scanner.PERSON_NAME, scanner.LANDLINE, scanner.EMAIL}
        named = scanner.PERSON_NAME in kinds
        severity = scanner.HIGH if named and (kinds & DECISIVE or len(personal) >= 2) else scanner.MEDIUM
        shown = sorted(mask_value(v, k) for k, v in nodes)
        labels = [str(FindingType(k).label) for k in sorted(kinds)]
        message = _("%(items)s 分散在 %(docs)s 中，合并后可识别同一人（%(kinds)s）") % {
            "items": "、".join(shown[:6]),
            "docs": "、".join(f"“{d}”" for d in docs),
            "kinds": "、".join(labels),
        }
        risks.append(AggregationRisk(severity, docs, sorted(kinds), shown, message))
    risks.sort(key=lambda r: (-scanner.SEVERITY_ORDER[r.severity], r.documents, r.identifiers))
    return risks


def scan_documents(documents: Iterable[tuple[str, str]]) -> dict:
    """Scans several documents published together: findings per document and the aggregation risks."""
    documents = list(documents)
    per_doc = {name: scanner.scan_text(text or "") for name, text in documents}
    return {"documents": per_doc, "aggregation": aggregation_risks(documents, per_doc)}
