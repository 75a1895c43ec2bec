"""Duplicate and excessive requests (政府信息公开条例 Art. 35, Art. 36(6)) and per-applicant monthly counters
(国办函〔2020〕109号). These only raise flags for the officer; the officer decides."""

from __future__ import annotations

import datetime
import difflib
import re

# Art. 35 leaves "明显超过合理范围" to the agency; the district's working threshold for a warning:
EXCESSIVE_WINDOW_DAYS = 30
EXCESSIVE_REQUEST_COUNT = 20
# Two descriptions at least this similar (0..1) from the same applicant count as a possible repeat (Art. 36(6)).
DUPLICATE_SIMILARITY = 0.85


def _normal(text: str) -> str:
    return re.sub(r"[\s，。、；：“”‘’（）()《》,.;:!?！？\"'-]+", "", text or "").lower()


def similarity(a: str, b: str) -> float:
    a, b = _normal(a), _normal(b)
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def find_possible_duplicate(request):
    """An earlier request of the same applicant to the same department asking for the same information."""
    from .models import DisclosureRequest

    text = f"{request.information_title} {request.information_doc_number} {request.description}"
    earlier = (
        DisclosureRequest.objects.filter(
            applicant_key=request.applicant_key, department_id=request.department_id
        )
        .exclude(pk=request.pk)
        .filter(submitted_at__lte=request.submitted_at)
        .order_by("-submitted_at")[:50]
    )
    for other in earlier:
        other_text = f"{other.information_title} {other.information_doc_number} {other.description}"
        if similarity(text, other_text) >= DUPLICATE_SIMILARITY:
            return other
    return None


def requests_in_month(applicant_key: str, day: datetime.datetime) -> int:
    """How many requests the applicant submitted in the calendar month of `day`, up to `day` (the counter of
    国办函〔2020〕109号)."""
    from .models import DisclosureRequest

    return DisclosureRequest.objects.filter(
        applicant_key=applicant_key,
        submitted_at__year=day.year,
        submitted_at__month=day.month,
        submitted_at__lte=day,
    ).count()


def excessive_warning(request) -> str:
    from .models import DisclosureRequest

    since = request.submitted_at - datetime.timedelta(days=EXCESSIVE_WINDOW_DAYS)
    n = DisclosureRequest.objects.filter(
        applicant_key=request.applicant_key, submitted_at__gt=since, submitted_at__lte=request.submitted_at
    ).count()
    if n >= EXCESSIVE_REQUEST_COUNT:
        return f"该申请人{EXCESSIVE_WINDOW_DAYS}日内已提出{n}件申请，可能明显超过合理范围（第三十五条），可要求其说明理由"
    return ""


# Art. 44: when several applicants ask the same agency for the same information and it may be disclosed, the
# agency may make it proactive. "多个申请人" is left open by the article; the district flags it from three
# different applicants (this one included) whose requests name the same information within two years.
PROACTIVE_SUGGESTION_APPLICANTS = 3
PROACTIVE_WINDOW_DAYS = 730
# Two requests name the same information when their titles (or document numbers) agree this closely (0..1).
SAME_INFORMATION_SIMILARITY = 0.8


def same_information(a, b) -> bool:
    if a.information_doc_number and _normal(a.information_doc_number) == _normal(b.information_doc_number):
        return True
    return similarity(a.information_title, b.information_title) >= SAME_INFORMATION_SIMILARITY


def requests_for_same_information(request):
    """Earlier requests by *other* applicants to the same department for the same information (Art. 44)."""
    from .models import DisclosureRequest

    since = request.submitted_at - datetime.timedelta(days=PROACTIVE_WINDOW_DAYS)
    earlier = (
        DisclosureRequest.objects.filter(department_id=request.department_id, submitted_at__gte=since)
        .exclude(pk=request.pk)
        .exclude(applicant_key=request.applicant_key)
        .filter(submitted_at__lte=request.submitted_at)
        .only("pk", "tracking_number", "information_title", "information_doc_number", "applicant_key")
        .order_by("-submitted_at")[:500]
    )
    return [other for other in earlier if same_information(request, other)]


def proactive_suggestion(request) -> str:
    same = requests_for_same_information(request)
    applicants = {other.applicant_key for other in same} | {request.applicant_key}
    if len(applicants) < PROACTIVE_SUGGESTION_APPLICANTS:
        return ""
    numbers = "、".join(sorted({o.tracking_number for o in same})[:5])
    return (
        f"已有{len(applicants)}个申请人申请相同信息（{numbers}等），属于可以公开的，建议纳入主动公开范围（第四十四条）"
    )[:300]
