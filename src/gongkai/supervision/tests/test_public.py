"""The public column and the API show published plans only, public data only, and frozen snapshots."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.supervision import actions
from gongkai.supervision.models import PlanKind, Snapshot

D = datetime.date
INTERNAL = ["内部：领导已签批", "缺少佐证材料", "内部：等待区领导批示"]


def main(response) -> str:
    """The page's own content (the surrounding layout carries a per-request CSRF token)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def published(simulated_quarter):
    actions.publish_plan(simulated_quarter["plan"], actor=simulated_quarter["people"]["office"])
    return simulated_quarter


def test_unpublished_plans_are_not_public(simulated_quarter, client):
    plan = simulated_quarter["plan"]
    assert client.get(reverse("supervision:plan_detail", args=[plan.pk])).status_code == 404
    assert plan.title not in client.get(reverse("supervision:index")).content.decode()
    assert client.get(f"/api/v1/plans/{plan.pk}/tasks").status_code == 404
    assert client.get("/api/v1/plans").json() == []


def test_public_column_shows_every_task_without_internal_notes(published, client):
    plan = published["plan"]
    index = client.get(reverse("supervision:index")).content.decode()
    assert plan.title in index
    html = client.get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
    for ref in ["一1", "一2", "三1", "三2", "三3", "三4"]:
        assert f">{ref}</a>" in html
    for secret in INTERNAL:
        assert secret not in html
    assert "已完成" in html and "长期推进" in html
    assert published["policy"].get_absolute_url() in html  # evidence link to the published policy
    assert "https://www.bjxch.gov.cn/xxgk/1.html" in html
    by_dept = client.get(
        reverse("supervision:plan_detail", args=[plan.pk]) + "?by=department"
    ).content.decode()
    assert "区商务局" in by_dept and "任务 2 项，已完成 1 项，逾期 1 项" in by_dept
    task = plan.tasks.get(ref="三4")
    detail = client.get(reverse("supervision:task_detail", args=[plan.pk, task.pk])).content.decode()
    assert (
        "60%" in detail and "90" not in detail.split("落实进展")[1]
    )  # the unaccepted 90% report is not shown
    for secret in INTERNAL:
        assert secret not in detail
    assert client.get(reverse("supervision:task_detail", args=[plan.pk, 999999])).status_code == 404


def test_evidence_of_unpublished_policy_is_not_linked(published, client, make_policy):
    draft = make_policy("内部草案", publish=False)
    people = published["people"]
    task = published["plan"].tasks.get(ref="三4")
    r = actions.submit_report(
        task,
        actor=people["jw"],
        summary="完成",
        percent=100,
        claims_completion=True,
        evidence=[{"kind": "policy", "policy": draft}],
        today=D(2024, 9, 30),
    )
    actions.accept_report(r, actor=people["office"], today=D(2024, 9, 30))
    html = client.get(reverse("supervision:plan_detail", args=[published["plan"].pk])).content.decode()
    assert draft.get_absolute_url() not in html and "内部草案" not in html


def test_uploaded_evidence_is_served_only_once_accepted(published, client):
    people = published["people"]
    task = published["plan"].tasks.get(ref="三2")
    from gongkai.core.samples import pdf_bytes

    data = pdf_bytes("咨询台账")
    upload = SimpleUploadedFile("台账.pdf", data, content_type="application/pdf")
    r = actions.submit_report(
        task,
        actor=people["mz"],
        summary="咨询台账",
        percent=50,
        evidence=[{"kind": "file", "file": upload}],
        today=D(2024, 9, 1),
    )
    ev = r.evidence.get()
    url = reverse("supervision:evidence_file", args=[ev.pk])
    assert client.get(url).status_code == 404
    actions.accept_report(r, actor=people["office"], today=D(2024, 9, 1))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == data
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Type"] == "application/pdf"
    assert url in client.get(reverse("supervision:plan_detail", args=[published["plan"].pk])).content.decode()


@pytest.mark.parametrize("name,content", [("x.exe", b"MZ"), ("empty.pdf", b""), ("noext", b"x")])
def test_bad_evidence_files_are_refused_and_nothing_is_written(published, name, content):
    from gongkai.supervision.models import ProgressReport

    people = published["people"]
    before = ProgressReport.objects.count()
    with pytest.raises(ValidationError):
        actions.submit_report(
            published["plan"].tasks.get(ref="三2"),
            actor=people["mz"],
            summary="x",
            percent=10,
            evidence=[{"kind": "file", "file": SimpleUploadedFile(name, content)}],
            today=D(2024, 9, 1),
        )
    assert ProgressReport.objects.count() == before


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x", "", "http://" + "a" * 600])
def test_bad_evidence_links_are_refused(published, url):
    with pytest.raises(ValidationError):
        actions.submit_report(
            published["plan"].tasks.get(ref="三2"),
            actor=published["people"]["mz"],
            summary="x",
            percent=10,
            evidence=[{"kind": "link", "url": url}],
            today=D(2024, 9, 1),
        )


def test_snapshot_figures_never_change(published, client):
    plan, people = published["plan"], published["people"]
    office = people["office"]
    with pytest.raises(ValidationError):
        actions.freeze_snapshot(plan, "2024Q3", actor=office, today=D(2024, 9, 30))  # quarter not over
    snap = actions.freeze_snapshot(plan, "2024Q3", actor=office, today=D(2024, 10, 8))
    assert snap.data["summary"]["done"] == 3 and snap.data["as_of"] == "2024-09-30"
    url = reverse("supervision:snapshot", args=[plan.pk, "2024Q3"])
    before = main(client.get(url))
    assert "快照" in before
    # more work is accepted later: the live column changes, the snapshot does not
    task = plan.tasks.get(ref="三4")
    r = actions.submit_report(
        task,
        actor=people["jw"],
        summary="全部完成",
        percent=100,
        claims_completion=True,
        today=D(2024, 10, 9),
    )
    actions.accept_report(r, actor=office, today=D(2024, 10, 9))
    assert main(client.get(url)) == before
    assert Snapshot.objects.get(pk=snap.pk).data == snap.data
    live = client.get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
    assert "全部完成" not in before and "逾期完成" in live
    with pytest.raises(ValidationError):
        actions.freeze_snapshot(plan, "2024Q3", actor=office, today=D(2024, 10, 10))
    with pytest.raises(ValidationError):
        actions.freeze_snapshot(plan, "2024Q9", actor=office)
    assert client.get(reverse("supervision:snapshot", args=[plan.pk, "2024Q2"])).status_code == 404
    assert client.get(reverse("supervision:snapshot", args=[plan.pk, "garbage"])).status_code == 404
    api = client.get(f"/api/v1/plans/{plan.pk}/tasks?quarter=2024Q3").json()
    assert {t["ref"]: t["status"] for t in api}["三4"] == "in_progress"


def test_api(published, client):
    plan = published["plan"]
    plans = client.get("/api/v1/plans").json()
    assert [p["id"] for p in plans] == [plan.pk]
    assert plans[0]["tasks"] == 6 and plans[0]["kind"] == "work_plan"
    tasks = client.get(f"/api/v1/plans/{plan.pk}/tasks").json()
    assert len(tasks) == 6
    t = {x["ref"]: x for x in tasks}
    assert t["一2"]["lead"] == ["区政务服务局"] and t["一2"]["supporting"] == ["区数据局"]
    body = str(tasks)
    for secret in INTERNAL:
        assert secret not in body
    assert "internal_note" not in body and "return_reason" not in body
    assert client.get("/api/v1/plans/999999/tasks").status_code == 404
    assert client.get("/api/v1/plans?year=2023").json() == []
    assert client.get("/api/v1/plans/abc/tasks").status_code in (404, 422)


def test_key_tasks_plan_uses_the_same_machinery(departments, people, client):
    office = people["office"]
    plan = actions.create_plan(
        actor=office, title="2024年区政府工作报告重点任务", year=2024, kind=PlanKind.KEY_TASKS
    )
    task = actions.add_task(
        plan,
        actor=office,
        ref="1",
        text="新建口袋公园10处",
        deadline=D(2024, 6, 30),
        responsible=[departments["区园林绿化局"]],
    )
    plan = actions.confirm_plan(plan, actor=office, today=D(2024, 1, 2))
    actions.publish_plan(plan, actor=office)
    assert task.occurrences.count() == 1
    snap = actions.freeze_snapshot(plan, "2024Q1", actor=office, today=D(2024, 4, 1))
    assert snap.data["plan"]["kind_label"] == "政府工作报告重点任务"
    html = client.get(reverse("supervision:index")).content.decode()
    assert "政府工作报告重点任务" in html and plan.title in html
