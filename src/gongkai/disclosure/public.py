"""What the public may see of a request: status, dates and the reply. Never identity data."""

from __future__ import annotations


def public_status(req) -> dict:
    reply = getattr(req, "reply", None) if req.status == "replied" else None
    data = {
        "tracking_number": req.tracking_number,
        "department": req.department.name,
        "information_title": req.information_title,
        "channel": req.get_channel_display(),
        "status": req.status,
        "status_label": str(req.get_status_display()),
        "submitted_on": req.submitted_at.date().isoformat(),
        "received_date": req.received_date.isoformat() if req.received_date else None,
        "deadline": req.deadline.isoformat() if req.deadline else None,
        "extended": bool(req.extension_days),
        "correction_items": req.correction_items if req.status == "awaiting_correction" else "",
        "correction_due": req.correction_due.isoformat()
        if req.correction_due and req.status == "awaiting_correction"
        else None,
        "fee_amount": str(req.fee_amount) if req.status == "awaiting_fee" else None,
        "reply": None,
    }
    if reply is not None and reply.status == "sent":
        data["reply"] = {
            "reply_number": reply.reply_number,
            "outcome": reply.outcome,
            "outcome_label": str(reply.get_outcome_display()),
            "sent_on": reply.sent_on.isoformat(),
            "body": reply.body,
            "pdf_sha256": reply.pdf_sha256,
        }
    return data
