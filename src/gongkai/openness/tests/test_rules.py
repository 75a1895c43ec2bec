"""The rules of the column: the completeness check (条例 Art. 26), the 公报's stable citation and pages, the
权责清单 change history, department scoping and the audit trail of every action."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core import calendar
from gongkai.core.models import AuditEntry
from gongkai.openness import actions, completeness, gazette
from gongkai.openness.models import Entry, GazetteStatus, ListItem, PowerItem

D = datetime.date


# --- completeness ------------------------------------------------------------------------------------------------


def test_on_change_item_never_published_and_never_dated_is_missing(list_item, calendar_years):
    check = completeness.check_item(list_item(), D(2025, 6, 1))
    assert check.status == completeness.MISSING and check.problem


def test_on_change_item_is_pending_within_20_working_days_then_overdue(list_item, calendar_years):
    item = list_item(changed_on=D(2025, 5, 6), last_published_on=D(2025, 1, 10))
    due = calendar.add_working_days(D(2025, 5, 6), 20)
    assert completeness.check_item(item, due).status == completeness.PENDING
    late = completeness.check_item(item, due + datetime.timedelta(days=1))
    assert late.status == completeness.OVERDUE and late.due_on == due
    assert "第二十六条" in late.explanation
    item.last_published_on = D(2025, 5, 7)
    assert completeness.check_item(item, D(2025, 12, 1)).status == completeness.OK


def test_periodic_items_count_from_the_end_of_the_last_period(list_item, calendar_years):
    quarterly = list_item(frequency="quarterly", last_published_on=D(2025, 1, 15))
    today = D(2025, 5, 20)
    check = completeness.check_item(quarterly, today)
    assert check.formed_on == D(2025, 3, 31)
    assert check.due_on == calendar.add_working_days(D(2025, 3, 31), 20)
    assert check.status == completeness.OVERDUE
    monthly = list_item(frequency="monthly", name="月报", last_published_on=D(2025, 5, 3))
    assert completeness.last_period_end("monthly", today) == D(2025, 4, 30)
    assert completeness.check_item(monthly, today).status == completeness.OK
    annual = list_item(frequency="annual", name="年报")
    assert completeness.check_item(annual, D(2025, 1, 5)).status == completeness.PENDING
    assert completeness.check_item(annual, D(2025, 3, 1)).status == completeness.MISSING


def test_a_year_the_calendar_does_not_cover_counts_weekdays(list_item, db):
    item = list_item(changed_on=D(2091, 3, 1))
    check = completeness.check_item(item, D(2091, 6, 1))
    assert check.status == completeness.MISSING
    assert check.due_on == D(2091, 3, 29)  # 20 weekdays after Thursday 1 March 2091


def test_publication_dates_in_the_future_are_refused(list_item, calendar_years):
    item = list_item()
    with pytest.raises(ValidationError):
        actions.record_list_publication(item, actor=None, published_on=D(2999, 1, 1))
    actions.record_list_publication(
        item, actor=None, published_on=D(2025, 1, 2), url="https://example.invalid/a"
    )
    item.refresh_from_db()
    assert item.last_published_on == D(2025, 1, 2)
    assert AuditEntry.objects.filter(action="openness.list_item.update").count() == 1


# --- scoping and audit -------------------------------------------------------------------------------------------


def test_departments_change_only_their_own_records_district_roles_all(
    list_item, officer, other_officer, office, departments
):
    own, theirs = list_item(), list_item(department="区民政局", name="低保标准")
    assert set(ListItem.objects.for_user(officer)) == {own}
    assert set(ListItem.objects.for_user(office)) == {own, theirs}
    with pytest.raises(PermissionDenied):
        actions.update_list_item(theirs, actor=officer, name="改别人的")
    with pytest.raises(PermissionDenied):  # nor hand its own record to another department
        actions.update_list_item(own, actor=officer, department=departments["区民政局"])
    with pytest.raises(PermissionDenied):
        actions.create_power_item(
            actor=officer, department=departments["区民政局"], kind="penalty", name="x", basis="y"
        )
    actions.update_list_item(theirs, actor=office, timing="每季度")
    assert ListItem.objects.get(pk=theirs.pk).timing == "每季度"


def test_every_action_writes_an_audit_entry_with_before_and_after(officer, departments):
    entry = actions.create_entry(
        actor=officer, department=departments["区发展改革委"], section="proactive", category="functions",
        title="主要职责", body="拟订规划",
    )  # fmt: skip
    actions.update_entry(entry, actor=officer, title="主要职责（2025年）")
    rows = list(AuditEntry.objects.filter(object_id=str(entry.pk), action__startswith="openness.entry"))
    assert [r.action for r in rows] == ["openness.entry.create", "openness.entry.update"] or [
        r.action for r in reversed(rows)
    ] == ["openness.entry.create", "openness.entry.update"]
    update = next(r for r in rows if r.action == "openness.entry.update")
    assert update.before["title"] == "主要职责" and update.after["title"] == "主要职责（2025年）"
    actions.delete_entry(Entry.objects.get(pk=entry.pk), actor=officer)
    assert AuditEntry.objects.filter(action="openness.entry.delete").count() == 1


def test_entry_needs_a_category_and_content(officer, departments):
    with pytest.raises(ValidationError):
        actions.create_entry(actor=officer, department=departments["区发展改革委"], section="proactive",
                             title="无类别", body="x")  # fmt: skip
    with pytest.raises(ValidationError):
        actions.create_entry(actor=officer, department=departments["区发展改革委"], section="rules",
                             title="空的", body="   ")  # fmt: skip


# --- 权责清单 ----------------------------------------------------------------------------------------------------


def test_power_item_changes_need_a_reason_and_are_kept_in_order(officer, departments):
    item = actions.create_power_item(
        actor=officer, department=departments["区发展改革委"], kind="penalty", name="价格违法行为处罚",
        basis="《价格法》第三十九条",
    )  # fmt: skip
    with pytest.raises(ValidationError):
        actions.update_power_item(item, actor=officer, reason="  ", basis="新依据")
    with pytest.raises(ValidationError):  # nothing changed
        actions.update_power_item(item, actor=officer, reason="核对", basis="《价格法》第三十九条")
    item = actions.update_power_item(item, actor=officer, reason="法律修订", basis="《价格法》第四十条")
    item = actions.update_power_item(item, actor=officer, reason="职能划转", status="abolished")
    assert item.version == 3
    changes = list(item.changes.all())
    assert [c.version for c in changes] == [3, 2, 1]
    assert changes[0].summary == "取消事项"
    assert changes[1].summary == "调整：设定依据" and changes[1].before == {"basis": "《价格法》第三十九条"}
    assert PowerItem.objects.get(pk=item.pk).status == "abolished"


# --- 政府公报 -----------------------------------------------------------------------------------------------------


@pytest.fixture
def three_policies(make_policy):
    return [
        make_policy(f"关于第{n}项工作的通知", publish_date=D(2025, 3, n), body="第一条 内容。\n" * (40 * n))
        for n in (1, 2, 3)
    ]


def test_gazette_numbers_are_given_at_publication_in_order_and_never_change(three_policies, office):
    first_draft = actions.create_gazette_issue(actor=office, year=2025, policies=three_policies[:1])
    abandoned = actions.create_gazette_issue(actor=office, year=2025, policies=three_policies[1:2])
    assert first_draft.number is None and "草稿" in first_draft.citation
    second = actions.create_gazette_issue(actor=office, year=2025, policies=three_policies[2:])
    second = actions.publish_gazette_issue(second, actor=office)
    first = actions.publish_gazette_issue(first_draft, actor=office)
    assert (second.citation, first.citation) == ("2025年第1期", "2025年第2期")
    assert abandoned.number is None  # a draft takes no number: no gaps when drafts are dropped
    with pytest.raises(ValidationError):
        actions.publish_gazette_issue(first, actor=office)
    with pytest.raises(ValidationError):
        actions.update_gazette_issue(first, actor=office, policies=three_policies)
    other_year = actions.publish_gazette_issue(
        actions.create_gazette_issue(actor=office, year=2026, policies=three_policies[:1]), actor=office
    )
    assert other_year.citation == "2026年第1期"
    assert AuditEntry.objects.filter(action="openness.gazette.publish").count() == 3


def test_gazette_items_have_numbers_and_pages_that_survive_later_edits(three_policies, office):
    from gongkai.policies import actions as policy_actions

    issue = actions.create_gazette_issue(actor=office, year=2025, policies=three_policies)
    issue = actions.publish_gazette_issue(issue, actor=office, published_on=D(2025, 4, 1))
    items = list(issue.items.all())
    assert [i.position for i in items] == [1, 2, 3]
    assert items[0].page == 2  # page 1 is the cover with the table of contents
    assert items[0].page < items[1].page < items[2].page <= issue.pages
    assert gazette.item_citation(items[1]) == f"北京市西城区人民政府公报2025年第1期第2项第{items[1].page}页"
    pdf = gazette.issue_pdf(issue)
    assert pdf.startswith(b"%PDF")
    # the policy is edited later: the printed issue keeps its text and pages
    policy_actions.update_policy(three_policies[0], actor=None, body="全新的正文。" * 500)
    items_again = list(issue.items.all())
    assert [i.page for i in items_again] == [i.page for i in items]
    assert "全新的正文" not in items_again[0].body
    assert gazette.issue_pdf(issue) == pdf  # the stored file


def test_only_the_office_assembles_the_gazette_and_only_public_documents(
    three_policies, make_policy, officer, office
):
    with pytest.raises(PermissionDenied):
        actions.create_gazette_issue(actor=officer, year=2025, policies=three_policies)
    draft = make_policy("未发布的文件", publish=False)
    with pytest.raises(ValidationError):
        actions.create_gazette_issue(actor=office, year=2025, policies=[draft])
    with pytest.raises(ValidationError):
        actions.create_gazette_issue(actor=office, year=2025, policies=[])
    with pytest.raises(ValidationError):
        actions.create_gazette_issue(actor=office, year=1900, policies=three_policies)
    issue = actions.create_gazette_issue(actor=office, year=2025, policies=three_policies)
    assert issue.status == GazetteStatus.DRAFT


def test_a_skipped_period_is_overdue_even_before_the_latest_one_is_due(list_item, calendar_years):
    monthly = list_item(frequency="monthly", name="统计月报", last_published_on=D(2025, 9, 22))
    check = completeness.check_item(
        monthly, D(2025, 12, 1)
    )  # November's report is not due yet; October's was
    assert check.status == completeness.OVERDUE and check.formed_on == D(2025, 10, 31)
    monthly.last_published_on = D(2025, 11, 10)
    assert completeness.check_item(monthly, D(2025, 12, 1)).status == completeness.PENDING


def test_the_pdf_is_laid_out_once_at_publication_and_served_from_storage(three_policies, office):
    from django.test import Client

    issue = actions.publish_gazette_issue(
        actions.create_gazette_issue(actor=office, year=2025, policies=three_policies), actor=office
    )
    assert issue.pdf.name.startswith("gazette/")
    with issue.pdf.open("rb") as fh:
        stored = fh.read()
    response = Client().get(f"/openness/gazette/{issue.year}/{issue.number}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == stored
    assert "attachment" in response["Content-Disposition"]
    issue.pdf.storage.delete(issue.pdf.name)  # a lost file is laid out again from the stored text
    again = Client().get(f"/openness/gazette/{issue.year}/{issue.number}.pdf")
    assert again.status_code == 200 and again.content.startswith(b"%PDF")
