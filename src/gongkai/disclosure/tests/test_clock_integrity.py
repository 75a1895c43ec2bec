"""Clock integrity: an extension only before the deadline passes, decision dates stored, every date checked
against the request's history, corrections of wrongly entered dates as recorded actions with a reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.core import audit
from gongkai.disclosure import actions, clock, history
from gongkai.disclosure.models import DisclosureRequest, ReviewCase

D = datetime.date


def test_extension_after_the_deadline_is_refused_with_the_reason(make_request, officer, seal):
    req = make_request(received=D(2024, 9, 27))
    assert req.deadline == D(2024, 10, 30)
    with pytest.raises(ValidationError, match="已于2024年10月30日届满"):
        actions.extend_deadline(
            req, actor=officer, days=20, approver="李主任", reason="涉及多个科室", day=D(2024, 10, 31)
        )
    req.refresh_from_db()
    assert req.extension_days == 0 and req.extension_decided_on is None and req.deadline == D(2024, 10, 30)
    assert not req.notices.exists()
    # on the last day it is still in time
    actions.extend_deadline(
        req, actor=officer, days=20, approver="李主任", reason="涉及多个科室", day=D(2024, 10, 30)
    )
    req.refresh_from_db()
    assert req.extension_decided_on == D(2024, 10, 30) and req.deadline == D(2024, 11, 27)


def test_extension_in_the_future_or_before_receipt_is_refused(make_request, officer, seal):
    req = make_request(received=D(2024, 9, 27))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        actions.extend_deadline(req, actor=officer, days=5, approver="李主任", reason="x", day=tomorrow)
    with pytest.raises(ValidationError, match="不能早于收到申请日期"):
        actions.extend_deadline(req, actor=officer, days=5, approver="李主任", reason="x", day=D(2024, 9, 26))


def test_extension_while_paused_is_refused(make_request, officer, seal):
    req = make_request(received=D(2024, 9, 27))
    actions.request_correction(
        req, actor=officer, items="写明文号", due_date=D(2024, 10, 20), day=D(2024, 9, 29)
    )
    req.refresh_from_db()
    with pytest.raises(ValidationError, match="暂停计算"):
        actions.extend_deadline(req, actor=officer, days=5, approver="李主任", reason="x", day=D(2024, 10, 8))


def test_clock_ignores_an_extension_decided_after_the_deadline(seeded_calendar):
    ledger = clock.compute_deadline(
        D(2024, 9, 27), extension_days=20, extension_approver="李主任", extension_decided_on=D(2024, 10, 31)
    )
    assert ledger.deadline == D(2024, 10, 30)
    assert any("已届满" in line and "延期不计入" in line for line in ledger.explanation)
    ledger = clock.compute_deadline(D(2024, 9, 27), extension_days=20, extension_decided_on=D(2024, 10, 30))
    assert ledger.deadline == D(2024, 11, 27)


def test_a_receipt_in_the_future_is_refused(make_request, officer, departments):
    from .conftest import PERSON

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    req = make_request(received=D(2024, 9, 27), confirm=False)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        actions.confirm_receipt(req, actor=officer, day=tomorrow)
    with pytest.raises(ValidationError, match="不能早于提交日期"):
        actions.confirm_receipt(req, actor=officer, day=D(2024, 9, 26))
    data = dict(PERSON, department=departments["区发展改革委"], information_title="另一件")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        actions.create_request(actor=officer, channel="in_person", data=data, received_date=tomorrow)
    assert DisclosureRequest.objects.count() == 1


def test_a_consultation_before_receipt_and_an_answer_before_it_was_sent_are_refused(
    make_request, officer, seal
):
    req = make_request(received=D(2024, 9, 27))
    with pytest.raises(ValidationError, match="不能早于收到申请日期"):
        actions.start_consultation(
            req, actor=officer, kind="third_party", party="某公司", sent_on=D(2024, 9, 20)
        )
    assert not req.consultations.exists() and not req.notices.exists()
    c = actions.start_consultation(
        req, actor=officer, kind="agency", party="区财政局", sent_on=D(2024, 10, 8)
    )
    with pytest.raises(ValidationError, match="不能早于征求意见发出日期"):
        actions.record_consultation_answer(c, actor=officer, answer="consent", day=D(2024, 10, 7))


def test_a_case_closed_before_it_was_filed_is_refused(make_request, officer):
    req = make_request(received=D(2024, 9, 27))
    with pytest.raises(ValidationError, match="不能早于收到申请日期"):
        actions.register_case(req, actor=officer, kind="review", authority="区政府", filed_on=D(2024, 9, 1))
    case = actions.register_case(
        req, actor=officer, kind="review", authority="区政府", filed_on=D(2024, 12, 2)
    )
    with pytest.raises(ValidationError, match="不能早于案件收到日期"):
        actions.close_case(case, actor=officer, result="upheld", closed_on=D(2024, 11, 30))
    actions.close_case(case, actor=officer, result="upheld", closed_on=D(2025, 1, 10))
    with pytest.raises(ValidationError, match="已审结"):
        actions.close_case(case, actor=officer, result="corrected", closed_on=D(2025, 1, 11))


def test_correction_fee_and_reply_dates_follow_their_causes(make_request, officer, seal):
    req = make_request(received=D(2024, 9, 27))
    with pytest.raises(ValidationError, match="不能早于收到申请日期"):
        actions.request_correction(
            req, actor=officer, items="x", due_date=D(2024, 10, 20), day=D(2024, 9, 26)
        )
    actions.request_correction(
        req, actor=officer, items="写明文号", due_date=D(2024, 10, 20), day=D(2024, 9, 29)
    )
    req.refresh_from_db()
    with pytest.raises(ValidationError, match="不能早于补正告知日期"):
        actions.receive_correction(req, actor=officer, day=D(2024, 9, 28))
    actions.receive_correction(req, actor=officer, day=D(2024, 10, 9))
    req.refresh_from_db()
    reply = actions.draft_reply(req, actor=officer, outcome="unavailable_not_held")
    with pytest.raises(ValidationError, match="答复日期.*不能早于收到补正日期"):
        actions.send_reply(reply, actor=officer, day=D(2024, 10, 8))


def test_correct_a_wrongly_entered_receipt_date(make_request, officer, seal):
    req = make_request(received=D(2024, 9, 27), confirm=False)
    actions.confirm_receipt(req, actor=officer, day=D(2024, 10, 8))  # entered wrongly: it was 27 September
    req.refresh_from_db()
    assert req.deadline == D(2024, 11, 4)
    with pytest.raises(ValidationError, match="理由"):
        actions.correct_date(req, actor=officer, field="received_date", day=D(2024, 9, 27), reason=" ")
    with pytest.raises(ValidationError, match="不能更正"):
        actions.correct_date(req, actor=officer, field="replied_on", day=D(2024, 9, 27), reason="x")
    actions.correct_date(
        req, actor=officer, field="received_date", day=D(2024, 9, 27), reason="登记时误填确认日期"
    )
    req.refresh_from_db()
    assert req.received_date == D(2024, 9, 27) and req.deadline == D(2024, 10, 30)
    entry = audit.entries_for(req).filter(action="disclosure.correct_date").get()
    assert entry.before["date"] == "2024-10-08" and entry.after["date"] == "2024-09-27"
    assert "登记时误填确认日期" in entry.note and entry.actor_id == officer.pk


def test_a_correction_that_breaks_the_history_is_refused_and_changes_nothing(make_request, officer, seal):
    req = make_request(received=D(2024, 9, 27))
    c = actions.start_consultation(
        req, actor=officer, kind="agency", party="区财政局", sent_on=D(2024, 10, 8)
    )
    actions.record_consultation_answer(c, actor=officer, answer="consent", day=D(2024, 10, 10))
    # a receipt after the consultation was sent contradicts the history
    with pytest.raises(ValidationError, match="征求意见发出日期.*不能早于收到申请日期"):
        actions.correct_date(req, actor=officer, field="received_date", day=D(2024, 10, 9), reason="x")
    req.refresh_from_db()
    assert req.received_date == D(2024, 9, 27)
    assert not audit.entries_for(req).filter(action="disclosure.correct_date").exists()
    # a consultation's sent date: the timer and the deadline follow
    before = req.deadline
    actions.correct_date(c, actor=officer, field="sent_on", day=D(2024, 10, 9), reason="发函日期误填")
    c.refresh_from_db()
    req.refresh_from_db()
    assert c.due_on == clock.consultation_due(D(2024, 10, 9))
    assert req.deadline != before


def test_correct_a_case_date(make_request, officer):
    req = make_request(received=D(2024, 9, 27))
    case = actions.register_case(
        req, actor=officer, kind="lawsuit_direct", authority="区法院", filed_on=D(2024, 12, 2)
    )
    actions.correct_date(case, actor=officer, field="filed_on", day=D(2024, 12, 5), reason="以法院送达日为准")
    case = ReviewCase.objects.get(pk=case.pk)
    assert case.filed_on == D(2024, 12, 5) and case.response_due == D(2024, 12, 20)


def test_history_problems_lists_everything_out_of_order(make_request):
    req = make_request(received=D(2024, 9, 27))
    DisclosureRequest.objects.filter(pk=req.pk).update(fee_notice_on=D(2024, 9, 1), fee_paid_on=D(2024, 8, 1))
    req.refresh_from_db()
    problems = history.history_problems(req)
    assert any("收费通知日期" in p for p in problems) and any("缴费日期" in p for p in problems)
