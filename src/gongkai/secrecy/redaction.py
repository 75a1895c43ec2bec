"""Masking findings in a text: partial masks per finding type (110101********1234, 138****5678, 张*).

A mask keeps `keep_start` and `keep_end` of the *maskable* characters (digits for numbers, letters and digits
for codes, every character for names and markings) and replaces the ones between with `char`; separators
(spaces, hyphens, 号楼/单元 …) stay. Every mask keeps the length of the text, so positions of other findings
stay valid. The defaults below can be changed per type with the setting `GONGKAI_SECRECY_MASKS`
(a JSON object in the environment variable of the same name), e.g.
`{"resident_id": {"keep_start": 0, "keep_end": 0}}` masks identity numbers completely.
"""

from __future__ import annotations

import dataclasses
import hashlib

from . import scanner
from .scanner import Finding

DIGITS = "digits"
ALNUM = "alnum"
ALL = "all"

DEFAULT_MASKS: dict[str, dict] = {
    scanner.RESIDENT_ID: {"keep_start": 6, "keep_end": 4, "only": ALNUM},
    scanner.CREDIT_CODE: {"keep_start": 8, "keep_end": 2, "only": ALNUM},
    scanner.BANK_CARD: {"keep_start": 4, "keep_end": 4, "only": DIGITS},
    scanner.MOBILE: {"keep_start": 3, "keep_end": 4, "only": DIGITS},
    scanner.LANDLINE: {"keep_start": 3, "keep_end": 2, "only": DIGITS},
    scanner.EMAIL: {"keep_start": 1, "keep_end": 0, "only": "email_local"},
    scanner.ADDRESS: {"keep_start": 0, "keep_end": 0, "only": DIGITS},
    scanner.LICENCE_PLATE: {"keep_start": 1, "keep_end": 1, "only": ALNUM},
    scanner.PERSON_NAME: {"keep_start": 1, "keep_end": 0, "only": ALL},
    scanner.CLASSIFICATION: {"keep_start": 0, "keep_end": 0, "only": ALL, "char": "■"},
    scanner.INTERNAL: {"keep_start": 0, "keep_end": 0, "only": ALL, "char": "■"},
    scanner.NOT_DISCLOSED: {"keep_start": 0, "keep_end": 0, "only": ALL, "char": "■"},
}
DEFAULT_CHAR = "*"


def mask_settings(overrides: dict | None = None) -> dict[str, dict]:
    """The masks in force: the defaults, then `settings.GONGKAI_SECRECY_MASKS`, then `overrides`."""
    from django.conf import settings

    result = {k: dict(v) for k, v in DEFAULT_MASKS.items()}
    for source in (getattr(settings, "GONGKAI_SECRECY_MASKS", None) or {}, overrides or {}):
        for kind, spec in source.items():
            if kind in result and isinstance(spec, dict):
                result[kind].update(
                    {k: v for k, v in spec.items() if k in {"keep_start", "keep_end", "only", "char"}}
                )
    return result


def _maskable(ch: str, only: str) -> bool:
    if only == DIGITS:
        return ch.isdigit()
    if only == ALNUM:
        return ch.isascii() and ch.isalnum() or ch.isdigit()
    return not ch.isspace()


def mask_value(text: str, kind: str, masks: dict[str, dict] | None = None) -> str:
    """`text` masked as configured for finding type `kind`; same length as `text`."""
    spec = (masks or mask_settings()).get(kind) or {"keep_start": 0, "keep_end": 0, "only": ALL}
    char = str(spec.get("char") or DEFAULT_CHAR)[:1]
    keep_start = max(0, int(spec.get("keep_start", 0)))
    keep_end = max(0, int(spec.get("keep_end", 0)))
    only = spec.get("only", ALL)
    if only == "email_local":
        at = text.find("@")
        if at <= 0:
            return char * len(text)
        local = text[:at]
        return local[:keep_start] + char * (len(local) - min(keep_start, len(local))) + text[at:]
    positions = [i for i, ch in enumerate(text) if _maskable(ch, only)]
    if kind == scanner.MOBILE and len(positions) > 11:
        positions = positions[-11:]  # the country code (+86) is no secret
    if keep_start + keep_end >= len(positions):  # too short to keep anything and still hide something
        keep_start, keep_end = 0, 0
    hidden = set(positions[keep_start : len(positions) - keep_end])
    return "".join(char if i in hidden else ch for i, ch in enumerate(text))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclasses.dataclass(frozen=True)
class RedactedText:
    text: str
    items: list[dict]


def redact_text(text: str, findings: list[Finding], masks: dict | None = None) -> RedactedText:
    """Masks `findings` in `text`. Returns the new text and one record per masked finding (no original values)."""
    masks = mask_settings(masks)
    pieces = []
    items = []
    pos = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos or text[f.start : f.end] != f.text:
            continue  # overlapping or stale finding: never mask the wrong characters
        masked = mask_value(f.text, f.type, masks)
        pieces.append(text[pos : f.start])
        pieces.append(masked)
        pos = f.end
        items.append(
            {
                "type": f.type,
                "rule": f.rule,
                "severity": f.severity,
                "start": f.start,
                "end": f.end,
                "masked": masked,
                "sha256": digest(f.text),
            }
        )
    pieces.append(text[pos:])
    return RedactedText("".join(pieces), items)
