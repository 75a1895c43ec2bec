"""The applicant-facing sentences built in Python (deadline text, seal verification) follow the page language:
Chinese unchanged on Chinese pages, English on English pages (docs/portal.md, "English site")."""

import datetime
from types import SimpleNamespace

from django.utils import translation
from django.utils.translation import gettext

from gongkai.disclosure.models import RequestStatus
from gongkai.disclosure.public import deadline_words
from gongkai.disclosure.seals import _detail, verify_pdf


def _replied_late():
    return SimpleNamespace(
        consultations=SimpleNamespace(all=lambda: []),
        fee_notice_on=None,
        status=RequestStatus.REPLIED,
        deadline=datetime.date(2026, 3, 2),
        replied_on=datetime.date(2026, 3, 5),
    )


def test_deadline_text_is_english_on_english_pages_and_unchanged_in_chinese():
    with translation.override("zh-hans"):
        assert (
            deadline_words(_replied_late())["text"] == "已于2026年3月5日答复，晚于答复期限（2026年3月2日）。"
        )
    with translation.override("en"):
        assert (
            deadline_words(_replied_late())["text"]
            == "Replied on 2026-03-05, after the reply deadline (2026-03-02)."
        )


def test_verification_message_is_english_on_english_pages():
    with translation.override("en"):
        assert verify_pdf(b"not a pdf").message == "The uploaded file is not a PDF file"
    with translation.override("zh-hans"):
        assert verify_pdf(b"not a pdf").message == "上传的文件不是 PDF 文件"


def test_verification_detail_tags_only_the_chinese_content():
    with translation.override("en"):
        line = _detail(gettext("签章单位：%(name)s"), name="某区<人民政府>")
    assert line == 'Sealed by: <span lang="zh-Hans">某区&lt;人民政府&gt;</span>'


def test_the_public_timeline_follows_the_page_language():
    from gongkai.disclosure.public import public_timeline

    empty = SimpleNamespace(all=lambda: [], filter=lambda **kw: [])
    req = SimpleNamespace(
        submitted_at=datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC),
        received_date=datetime.date(2026, 3, 3),
        notices=empty,
        correction_submissions=empty,
        corrected_received_on=None,
        consultations=SimpleNamespace(
            all=lambda: [
                SimpleNamespace(kind="third_party", sent_on=datetime.date(2026, 3, 4), answered_on=None)
            ]
        ),
        fee_notice_on=None,
        fee_paid_on=None,
        replied_on=datetime.date(2026, 3, 9),
    )
    with translation.override("zh-hans"):
        assert [e["text"] for e in public_timeline(req)] == [
            "提交申请",
            "受理机关收到申请",
            "征求第三方意见，答复期限暂停计算",
            "作出答复",
        ]
    with translation.override("en"):
        assert [e["text"] for e in public_timeline(req)] == [
            "Application submitted",
            "Application received by the office",
            "Third party consulted; the answer period is paused",
            "Answer given",
        ]
