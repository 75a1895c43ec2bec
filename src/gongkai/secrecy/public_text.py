"""The confidentiality scan for what the public writes (questions, comments, later consultation comments) before it
is published (23:三(一)4, 24:三(三)1). Any app that publishes text from the public uses these three steps:

1. on arrival: `scan_public_text({"问题": text})` and store `result.level` (to flag the item for staff, and not to
   pre-tick 公开 when anything was found — a low finding such as an e-mail address included);
2. on publication: `result.publication_problem(confirmed=...)` — a **high** finding (identity or bank card number,
   a name next to one, a classification marking) blocks until the text is redacted; a **medium** finding (mobile
   number, home address, licence plate, a name next to them) needs the publishing officer's explicit confirmation,
   which the action records in the audit log;
3. staff redact with `gongkai.secrecy.actions.redact_public_text(obj, field=…, actor=…, reason=…)`: the original is
   kept in the record's `original_<field>` (never published), the published field gets the masked text, a
   `Redaction` row records what was masked, by whom and why.
"""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext as _

from . import scanner
from .models import FindingType


@dataclasses.dataclass(frozen=True)
class PublicTextScan:
    findings: tuple[tuple[str, scanner.Finding], ...]  # (field label, finding)

    @property
    def level(self) -> str:
        return scanner.max_severity(f for _label, f in self.findings) or ""

    @property
    def blocks(self) -> bool:
        return any(f.severity == scanner.HIGH for _label, f in self.findings)

    @property
    def needs_confirmation(self) -> bool:
        return any(f.severity == scanner.MEDIUM for _label, f in self.findings)

    def summary(self, severities=(scanner.HIGH, scanner.MEDIUM)) -> str:
        """e.g. 问题：公民身份号码、手机号码 (types only, never the values)."""
        parts: dict[str, list[str]] = {}
        for label, f in self.findings:
            if f.severity in severities:
                kinds = parts.setdefault(label, [])
                name = str(FindingType(f.type).label)
                if name not in kinds:
                    kinds.append(name)
        return "；".join(f"{label}：{'、'.join(kinds)}" for label, kinds in parts.items())

    def rows(self) -> list[dict]:
        """For the staff screen: field, type, severity and the masked value (the officer sees where, not what)."""
        from .redaction import mask_value

        return [
            {
                "field": label,
                "type": str(FindingType(f.type).label),
                "severity": f.severity,
                "masked": mask_value(f.text, f.type),
            }
            for label, f in self.findings
        ]

    def publication_problem(self, *, confirmed: bool) -> str | None:
        """None when the text may be published; otherwise the Chinese reason."""
        if self.blocks:
            return _("含有个人敏感信息（%(items)s），请先脱敏再公开") % {
                "items": self.summary((scanner.HIGH,))
            }
        if self.needs_confirmation and not confirmed:
            return _("含有个人信息（%(items)s），公开前请脱敏，或确认可以公开") % {
                "items": self.summary((scanner.MEDIUM,))
            }
        return None


def scan_public_text(fields: dict[str, str]) -> PublicTextScan:
    """Scans each given text: `{label shown to staff: text}`, e.g. `{"问题": question, "答复": answer}`."""
    found = []
    for label, text in fields.items():
        for finding in scanner.scan_text(text or ""):
            found.append((label, finding))
    return PublicTextScan(tuple(found))
