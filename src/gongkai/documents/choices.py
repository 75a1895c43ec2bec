"""Choices for values the parsers produce, with Chinese labels (for apps that store them, e.g. supervision)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Recurrence(models.TextChoices):
    """How often a work-plan task recurs (`recurrence` in `parse-workplan --json`; words in `dates.py`)."""

    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half-yearly", _("每半年")
    YEARLY = "yearly", _("每年")
    ONGOING = "ongoing", _("长期坚持")
