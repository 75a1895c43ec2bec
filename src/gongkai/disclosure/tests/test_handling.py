"""Intake, receipt dates, correction, extension, consultations, fees, duplicates and calendar recomputation."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import CalendarDay, CalendarDayKind, Notification
from gongkai.disclosure import actions, fees, volume
from gongkai.disclosure.models import ConsultationAnswer, DisclosureRequest, RequestStatus

D = datetime.date


def test_online_request_waits_for_confirmation(make_request):
    req = make_request(confirm=False)
    assert req.status == RequestStatus.PENDING_CONFIRMATION
    assert req.received_date is None and req.deadline is None
    assert req.tracking_number.startswith("2024-")
    assert req.query_code and req.query_code not in req.query_code_hash
    actions.confirm_receipt(req, actor=None, day=D(2024, 9, 27))
    req.refresh_from_db()
    assert req.received_date == D(2024, 9, 27) and req.deadline == D(2024, 10, 30)
    assert req.deadline_ledger and req.deadline_ledger[0]["basis"] == "第三十一条"
    with pytest.raises(ValidationError):
        actions.confirm_receipt(req, actor=None)


def test_tracking_numbers_are_a_per_year_sequence(make_request):
    a = make_request(received=D(2024, 9, 27))
    b = make_request(received=D(2024, 9, 30), information_title="另一份信息")
    c = make_request(received=D(2025, 1, 6), information_title="第三份信息")
    assert int(b.tracking_number.split("-")[1]) == int(a.tracking_number.split("-")[1]) + 1
    assert c.tracking_number == "2025-0001"


def test_in_person_receipt_is_the_day_of_submission(make_request, officer):
    req = make_request(actor=officer, channel="in_person", received=D(2024, 9, 27))
    assert req.status == RequestStatus.IN_PROGRESS and req.received_date == D(2024, 9, 27)
    assert req.deadline == D(2024, 10, 30)


def test_offline_channel_needs_staff(make_request):
    with pytest.raises(PermissionDenied):
        make_request(actor=None, channel="fax")


def test_find_by_tracking_needs_the_right_code(make_request):
    req = make_request()
    assert actions.find_by_tracking(req.tracking_number, req.query_code) == req
    assert actions.find_by_tracking(req.tracking_number, req.query_code.lower()) == req
    assert actions.find_by_tracking(req.tracking_number, "WRONGCODE1") is None
    assert actions.find_by_tracking("2024-9999", req.query_code) is None
    assert actions.find_by_tracking("", "") is None
    assert actions.find_by_tracking("x" * 10000, "\x00" * 100) is None


def test_department_scope(make_request, make_user):
    from gongkai.core import roles

    req = make_request()
    stranger = make_user(roles.DEPARTMENT_OFFICER, "区财政局", username="stranger")
    with pytest.raises(PermissionDenied):
        actions.add_note(req, actor=stranger, body="不是我的")
    assert req not in DisclosureRequest.objects.for_user(stranger)


def test_handling_needs_the_handler_role_of_the_request_department(make_request, make_user, officer):
    """Claiming, seeing the applicant's identity, downloading the identity proof and replying need the
    依申请公开办理人员 role of the request's department (or the openness office); a drafter, a pre-release
    reviewer or an officer without the role may look (masked) but not handle."""
    from gongkai.core import roles
    from gongkai.disclosure.permissions import can_handle_request, can_see_identity
    from gongkai.disclosure.privacy import identity_for

    req = make_request()
    drafter = make_user(roles.DRAFTER, "区发展改革委", username="drafter")
    plain_officer = make_user(roles.DEPARTMENT_OFFICER, "区发展改革委", username="plain_officer")
    reviewer = make_user(roles.FINANCE_REVIEWER, "区财政局", username="reviewer")
    other_handler = make_user(roles.DISCLOSURE_HANDLER, "区财政局", username="other_handler")
    office = make_user(roles.OPENNESS_OFFICE, "区政务服务局", username="office")
    for user in (drafter, plain_officer, reviewer):
        assert req in DisclosureRequest.objects.for_user(user)  # they may see it …
        assert not can_handle_request(user, req)  # … but not handle it
        with pytest.raises(PermissionDenied):
            actions.claim_request(req, actor=user)
        with pytest.raises(PermissionDenied):
            actions.draft_reply(req, actor=user, outcome="unavailable_not_held")
    assert req not in DisclosureRequest.objects.for_user(other_handler)
    with pytest.raises(PermissionDenied):
        actions.claim_request(req, actor=other_handler)
    # nobody can be made the assignee without the role
    with pytest.raises(ValidationError, match="办理人员"):
        actions.assign_request(req, actor=officer, assignee=plain_officer)
    assert can_handle_request(office, req)
    actions.claim_request(req, actor=officer)
    req.refresh_from_db()
    assert can_see_identity(officer, req) and identity_for(officer, req)["applicant_name"] == "张三丰"
    for user in (drafter, plain_officer, reviewer, office):
        assert not can_see_identity(user, req)
        assert identity_for(user, req)["applicant_name"] != "张三丰"
    # losing the role takes the identity away even from the assignee
    officer.groups.remove(roles.group_for(roles.DISCLOSURE_HANDLER))
    officer = type(officer).objects.get(pk=officer.pk)  # a new request: roles are read afresh
    assert not can_see_identity(officer, req)


def test_assignment_and_claim(make_request, officer, make_user):
    from gongkai.core import roles

    req = make_request()
    actions.claim_request(req, actor=officer)
    assert req.assignee == officer
    assert Notification.objects.filter(recipient=officer).exists()
    office = make_user(roles.OPENNESS_OFFICE, "区政务服务局", username="office")
    actions.assign_request(
        req, actor=office, department=req.department.__class__.objects.get(short_name="区财政局")
    )
    req.refresh_from_db()
    assert req.department.short_name == "区财政局" and req.assignee is None
    with pytest.raises(PermissionDenied):
        actions.assign_request(req, actor=officer, department=officer.department)


def test_note_refuses_empty(make_request, officer):
    req = make_request()
    with pytest.raises(ValidationError):
        actions.add_note(req, actor=officer, body="   ")
    actions.add_note(req, actor=officer, body="已电话联系申请人")
    assert req.notes.count() == 1


def test_correction_once_within_seven_working_days_then_restart(make_request, officer):
    req = make_request(received=D(2024, 9, 20))
    actions.request_correction(
        req, actor=officer, items="请写明文号", due_date=D(2024, 10, 20), day=D(2024, 9, 24)
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.AWAITING_CORRECTION and req.deadline is None
    with pytest.raises(ValidationError):
        actions.request_correction(
            req, actor=officer, items="再补一次", due_date=D(2024, 10, 20), day=D(2024, 9, 25)
        )
    actions.receive_correction(req, actor=officer, day=D(2024, 9, 27))
    req.refresh_from_db()
    assert req.deadline == D(2024, 10, 30)


def test_late_correction_refused(make_request, officer):
    req = make_request(received=D(2024, 9, 27))
    # the 7th working day is Saturday 12 Oct (调休); the 14th is too late
    with pytest.raises(ValidationError, match="7个工作日"):
        actions.request_correction(
            req, actor=officer, items="x", due_date=D(2024, 11, 1), day=D(2024, 10, 14)
        )
    actions.request_correction(req, actor=officer, items="x", due_date=D(2024, 11, 1), day=D(2024, 10, 12))


def test_extension_once_with_approver(make_request, officer):
    req = make_request(received=D(2024, 9, 27))
    with pytest.raises(ValidationError):
        actions.extend_deadline(req, actor=officer, days=21, approver="李主任", reason="x")
    with pytest.raises(ValidationError):
        actions.extend_deadline(req, actor=officer, days=20, approver=" ", reason="x")
    actions.extend_deadline(req, actor=officer, days=20, approver="李主任", reason="涉及多个科室")
    req.refresh_from_db()
    assert req.deadline == D(2024, 11, 27)
    assert any("李主任" in line["text"] for line in req.deadline_ledger)
    with pytest.raises(ValidationError):
        actions.extend_deadline(req, actor=officer, days=5, approver="李主任", reason="again")


def test_consultations_pause_the_clock_and_silence_has_its_legal_effect(make_request, officer):
    req = make_request(received=D(2024, 9, 20))
    third = actions.start_consultation(
        req, actor=officer, kind="third_party", party="某某公司", sent_on=D(2024, 9, 27)
    )
    agency = actions.start_consultation(
        req, actor=officer, kind="agency", party="区财政局", sent_on=D(2024, 9, 27)
    )
    assert third.due_on == D(2024, 10, 23)
    actions.record_consultation_answer(
        third, actor=officer, answer="objection", day=D(2024, 10, 9), summary="涉及商业秘密"
    )
    assert actions.lapse_consultations(today=D(2024, 10, 24)) == 1
    assert actions.lapse_consultations(today=D(2024, 10, 24)) == 0  # idempotent
    agency.refresh_from_db()
    assert agency.answer == ConsultationAnswer.CONSENT and "视为同意" in agency.summary
    assert actions.silence_effect("third_party")[0] == ConsultationAnswer.SILENT
    req.refresh_from_db()
    # pause = 27/9 … 23/10 (agency's due date, the later one): count 23–26/9 = 4, then from 24/10:
    # 24,25=5,6; 28–31/10=7–10; 1/11=11; 4–8/11=12–16; 11–14/11=17–20 -> 14 Nov.
    assert req.deadline == D(2024, 11, 14)
    with pytest.raises(ValidationError):
        actions.record_consultation_answer(third, actor=officer, answer="consent")


def test_fees_only_above_monthly_threshold(make_request, officer):
    first = make_request(received=D(2024, 9, 2))
    with pytest.raises(ValidationError, match="不收取信息处理费"):
        actions.issue_fee_notice(first, actor=officer)
    base = timezone.make_aware(datetime.datetime(2024, 9, 3, 9))
    reqs = [
        make_request(
            received=D(2024, 9, 3),
            submitted_at=base + datetime.timedelta(minutes=i),
            information_title=f"第{i}份完全不同的信息{i * 7919}",
        )
        for i in range(10)
    ]
    eleventh = reqs[-1]
    assert volume.requests_in_month(eleventh.applicant_key, eleventh.submitted_at) == 11
    actions.issue_fee_notice(eleventh, actor=officer, day=D(2024, 9, 10))
    eleventh.refresh_from_db()
    assert eleventh.fee_amount == Decimal("100") and eleventh.status == RequestStatus.AWAITING_FEE
    assert eleventh.deadline is None
    actions.record_fee_paid(eleventh, actor=officer, day=D(2024, 9, 20))
    eleventh.refresh_from_db()
    assert eleventh.deadline is not None and eleventh.status == RequestStatus.IN_PROGRESS


def test_fee_tables():
    assert [fees.fee_per_request(n).amount for n in (10, 11, 30, 31, 40, 41)] == [0, 100, 100, 200, 200, 300]
    assert fees.fee_per_page(30).amount == 0
    assert fees.fee_per_page(100).amount == 700
    assert fees.fee_per_page(201).amount == 70 * 10 + 100 * 20 + 40
    with pytest.raises(ValueError):
        fees.fee_per_request(0)


def test_duplicate_and_excessive_detection(make_request, monkeypatch):
    first = make_request(received=D(2024, 9, 2))
    again = make_request(received=D(2024, 9, 9), description=first.description + "。")
    assert again.possible_duplicate_of == first
    other = make_request(
        received=D(2024, 9, 10),
        information_title="区属公园年票发行数量",
        description="请提供2023年公园年票的发行数量",
    )
    assert other.possible_duplicate_of is None
    monkeypatch.setattr(volume, "EXCESSIVE_REQUEST_COUNT", 4)
    fourth = make_request(
        received=D(2024, 9, 11), information_title="完全不同的第四件", description="关于某道路施工的许可文件"
    )
    assert "第三十五条" in fourth.excessive_warning


def test_calendar_change_recomputes_open_deadlines_and_logs(make_request, django_capture_on_commit_callbacks):
    req = make_request(received=D(2024, 9, 27))
    assert req.deadline == D(2024, 10, 30)
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=D(2024, 10, 16), kind=CalendarDayKind.HOLIDAY, name="临时假日")
    req.refresh_from_db()
    assert req.deadline == D(2024, 10, 31)
    entry = audit.entries_for(req).filter(action="disclosure.deadline_recomputed").first()
    assert entry is not None and "工作日历变更" in entry.note


def test_uncovered_calendar_is_reported_not_crashed(make_request):
    req = make_request(received=D(2026, 12, 10))
    assert req.deadline is None and "2027" in req.deadline_problem


def test_reminders_idempotent(make_request, officer):
    req = make_request(received=D(2024, 9, 27))
    actions.claim_request(req, actor=officer)
    assert actions.send_deadline_reminders(today=D(2024, 10, 28)) == 1  # due soon
    assert actions.send_deadline_reminders(today=D(2024, 10, 28)) == 0
    assert actions.send_deadline_reminders(today=D(2024, 11, 4)) == 1  # overdue
    assert Notification.objects.filter(subject__contains="已超期").count() == 1


def test_published_match(make_request, make_policy):
    policy = make_policy("关于老旧小区综合整治的实施意见")
    req = make_request(information_title="老旧小区综合整治")
    hits = actions.published_matches(req)
    assert [h.policy for h in hits] == [policy]
