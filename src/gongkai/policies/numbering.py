"""索引号 (index number): `{department code}-{year}-{sequence:05d}`, e.g. `XCFGW-2024-00012`.

The year is the year of the 成文日期 (or of creation when there is none); the sequence runs per department and
year without gaps. The number is assigned once, when the record is first saved, and never changes.
"""

from django.utils import timezone

from gongkai.core.numbering import next_number


def format_index_number(code: str, year: int, sequence: int) -> str:
    return f"{code}-{year}-{sequence:05d}"


def assign_index_number(policy) -> str:
    from .models import Policy

    year = (policy.written_date or timezone.localdate()).year
    code = policy.issuer.code
    number = format_index_number(code, year, next_number(f"index:{code}:{year}"))
    Policy.objects.filter(pk=policy.pk).update(index_number=number)
    policy.index_number = number
    return number
