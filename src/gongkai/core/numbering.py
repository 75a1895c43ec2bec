"""Gap-free sequences for numbers people see (索引号, tracking numbers). Safe under concurrency: the counter row
is locked for the rest of the caller's transaction."""

from django.db import transaction

from .models import Counter


def next_number(key: str) -> int:
    with transaction.atomic():
        counter, _created = Counter.objects.select_for_update().get_or_create(key=key)
        counter.value += 1
        counter.save(update_fields=["value"])
        return counter.value
