"""Shared by the document commands: reading a file into text with the exit code the issue asks for."""

from __future__ import annotations

import io
import json
import sys

from django.core.management.base import CommandError

from gongkai.documents.errors import DocumentError
from gongkai.documents.extract import extract_text

UNREADABLE_EXIT_CODE = 2


def read_text(path: str) -> str:
    """The normalised text of a file, or a CommandError with exit code 2 and the Chinese reason."""
    try:
        if path == "-":
            return extract_text(io.BytesIO(sys.stdin.buffer.read()), filename="stdin.txt")
        return extract_text(path)
    except DocumentError as exc:
        raise CommandError(str(exc), returncode=UNREADABLE_EXIT_CODE)


def write_json(stdout, data) -> None:
    stdout.write(json.dumps(data, ensure_ascii=False, indent=2))


def database_or_seed_resolver():
    """The database resolver when departments are there, else the seed table (a fresh checkout without
    `gongkai setup` still gets names resolved)."""
    from django.db import DatabaseError

    from gongkai.core.departments import database_resolver, seed_resolver
    from gongkai.core.models import Department

    try:
        if Department.objects.exists():
            return database_resolver
    except DatabaseError:
        pass
    return seed_resolver
