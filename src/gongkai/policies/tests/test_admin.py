"""The policy library in the Wagtail admin: department scoping in every view Wagtail offers for a policy, the
editor saving through the actions, the drafting department (起草部门) separate from the issuer (发文机构)."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.core import roles
from gongkai.core.audit import entries_for
from gongkai.policies import actions
from gongkai.policies.models import Policy

EDITOR_FORM = "//form[@id='w-editor-form']"
SECRET = "教委内部草稿甲乙丙"


def _text(response) -> str:
    """The response as text a person would read: JSON (the chooser's modal steps) decoded, so that a title
    escaped as \\uXXXX is still found."""
    body = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body


def _url(name, *args):
    return reverse(f"wagtailsnippets_policies_policy:{name}", args=args)


@pytest.fixture
def scene(make_policy, make_user):
    own = make_policy("发改委草稿", publish=False, department="区发展改革委")
    other = make_policy(SECRET, publish=False, department="区教委")
    return {
        "own": own,
        "other": other,
        "drafter": make_user(roles.DRAFTER, "区发展改革委"),
        "officer": make_user(roles.DEPARTMENT_OFFICER, "区发展改革委"),
        "office": make_user(roles.OPENNESS_OFFICE, "区政务服务局"),
    }


@pytest.mark.django_db
def test_drafter_edits_own_department_only(client, scene, form_data):
    own, other = scene["own"], scene["other"]
    client.force_login(scene["drafter"])
    data = form_data(client.get(_url("edit", own.pk)).content.decode(), EDITOR_FORM)
    data["title"] = "发改委草稿（修改稿）"
    response = client.post(_url("edit", own.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    own.refresh_from_db()
    assert own.title == "发改委草稿（修改稿）"  # the same valid form is accepted for the own draft …
    entry = entries_for(own).get(action="policy.update")
    assert entry.before["title"] == "发改委草稿" and entry.after["title"] == "发改委草稿（修改稿）"
    # … and another department's draft is not found: neither shown nor changed by the same valid POST
    assert client.get(_url("edit", other.pk)).status_code == 404
    assert client.post(_url("edit", other.pk), {**data, "title": "被改了"}).status_code == 404
    other.refresh_from_db()
    assert other.title == SECRET
    listing = client.get(_url("list")).content.decode()
    assert "发改委草稿" in listing and SECRET not in listing


@pytest.mark.django_db
def test_openness_office_sees_and_changes_every_department(client, scene):
    """A real member of the openness office (its role, not a superuser flag)."""
    office = scene["office"]
    assert not office.is_superuser
    client.force_login(office)
    listing = client.get(_url("list")).content.decode()
    assert "发改委草稿" in listing and SECRET in listing
    assert client.get(_url("edit", scene["other"].pk)).status_code == 200
    # other staff see another department's PUBLISHED, proactively disclosed policies, read-only
    published = actions.publish_policy(scene["other"], actor=None)
    client.force_login(scene["drafter"])
    assert client.get(_url("inspect", published.pk)).status_code == 200
    assert SECRET in client.get(_url("list")).content.decode()
    response = client.get(_url("edit", published.pk))
    assert response.status_code == 302 and response["Location"] == "/admin/"  # may see, may not change


def _object_view_urls(policy):
    revision = policy.latest_revision
    return {
        "edit": _url("edit", policy.pk),
        "inspect": _url("inspect", policy.pk),
        "history": _url("history", policy.pk),
        "history_results": _url("history_results", policy.pk),
        "usage": _url("usage", policy.pk),
        "preview_on_edit": _url("preview_on_edit", policy.pk),
        "revisions_view": _url("revisions_view", policy.pk, revision.pk),
        "revisions_revert": _url("revisions_revert", policy.pk, revision.pk),
        "revisions_compare": reverse(
            "wagtailsnippets_policies_policy:revisions_compare", args=[policy.pk, "earliest", "latest"]
        ),
        "workflow_history": _url("workflow_history", policy.pk),
        "confirm_workflow_cancellation": _url("confirm_workflow_cancellation", policy.pk),
        "chosen": reverse("wagtailsnippetchoosers_policies_policy:chosen", args=[policy.pk]),
    }


@pytest.mark.django_db
def test_every_object_view_answers_for_the_own_department_and_hides_the_others(client, scene):
    """Each of Wagtail's object views of a policy: 200 for its drafting department (they answered 500 when the
    scoping broke get_object), 404 for another department."""
    own, other = scene["own"], scene["other"]
    actions.update_policy(own, actor=scene["drafter"], summary="第二个版本")
    actions.update_policy(other, actor=None, summary="第二个版本")
    client.force_login(scene["drafter"])
    for name, url in _object_view_urls(own).items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
    for name, url in _object_view_urls(other).items():
        response = client.get(url)
        assert response.status_code == 404, (name, response.status_code)
        assert SECRET not in _text(response)
    # lock and unlock (POST) on the own draft work; on the other department's they are not found
    assert client.post(_url("lock", own.pk)).status_code == 302
    own.refresh_from_db()
    assert own.locked and own.locked_by == scene["drafter"]
    assert entries_for(own).filter(action="policy.lock").exists()
    assert client.post(_url("unlock", own.pk)).status_code == 302
    own.refresh_from_db()
    assert not own.locked and entries_for(own).filter(action="policy.unlock").exists()
    assert client.post(_url("lock", other.pk)).status_code == 404
    other.refresh_from_db()
    assert not other.locked


@pytest.mark.django_db
def test_chooser_bulk_actions_reports_and_counts_do_not_leak(client, scene, admin_user, form_data):
    own, other = scene["own"], scene["other"]
    # Wagtail writes its own log entries for the other department's draft (an administrator, elsewhere)
    from django.test import Client

    admin_client = Client()
    admin_client.force_login(admin_user)
    data = form_data(admin_client.get(_url("edit", other.pk)).content.decode(), EDITOR_FORM)
    assert admin_client.post(_url("edit", other.pk), data).status_code == 302
    client.force_login(scene["drafter"])
    chooser = "/admin/snippets/choose/policies/policy/"
    for url in [chooser, chooser + "results/?q=教委", chooser + "results/"]:
        assert SECRET not in _text(client.get(url)), url
    assert "发改委草稿" in _text(client.get(chooser + "results/"))
    assert client.get(chooser + f"chosen/{other.pk}/").status_code == 404
    assert "发改委草稿" in _text(client.get(chooser + f"chosen/{own.pk}/"))
    multiple = json.loads(client.get(chooser + f"chosen-multiple/?id={other.pk}&id={own.pk}").content)
    assert [r["id"] for r in multiple["result"]] == [str(own.pk)]
    bulk = f"/admin/bulk/policies/policy/delete/?id={own.pk}&id={other.pk}&next=/admin/"
    page = _text(client.get(bulk))
    assert SECRET not in page and "发改委草稿" in page
    assert SECRET not in _text(client.get("/admin/bulk/policies/policy/delete/?id=all&next=/admin/"))
    assert client.get(f"/admin/bulk/policies/policy/delete/?id={other.pk}&next=/admin/").status_code == 404
    for url in [
        "/admin/reports/site-history/",
        "/admin/reports/site-history/results/",
        "/admin/reports/workflow/",  # Wagtail shows these to page editors only: a redirect for drafters
        "/admin/reports/workflow_tasks/",
    ]:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert SECRET not in _text(response), url
    # the openness office still sees everything in the same reports
    client.force_login(scene["office"])
    assert SECRET in client.get("/admin/reports/site-history/").content.decode()


@pytest.mark.django_db
def test_interpretation_and_qa_forms_offer_only_own_policies(client, scene):
    client.force_login(scene["drafter"])
    for url in [reverse("interpretations:add"), reverse("policy-questions:add")]:
        page = client.get(url).content.decode()
        assert "发改委草稿" in page and SECRET not in page, url


@pytest.mark.django_db
def test_editor_create_sets_drafting_department_and_creator(client, scene, departments, form_data):
    """A drafter of 区发展改革委 drafts a document issued in the name of 区政府: the drafting department is
    their own (a tampered POST cannot change it), `created_by` is set, the audit entry is written."""
    drafter = scene["drafter"]
    client.force_login(drafter)
    data = form_data(client.get(_url("add")).content.decode(), EDITOR_FORM)
    data.update(
        {
            "title": "以区政府名义印发的实施意见",
            "issuer": str(departments["区政府"].pk),
            "drafting_department": str(departments["区民政局"].pk),  # tampered: the field is disabled
            "body": "第一条 为了……，制定本意见。",
            "written_date": "2024-05-06",
        }
    )
    response = client.post(_url("add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    policy = Policy.objects.get(title="以区政府名义印发的实施意见")
    assert policy.issuer == departments["区政府"]
    assert policy.drafting_department == departments["区发展改革委"]
    assert policy.created_by == drafter
    entry = entries_for(policy).get(action="policy.create")
    assert entry.actor == drafter and entry.department == departments["区发展改革委"]
    # permissions follow the drafting department, not the issuer
    assert actions.can_edit_policy(drafter, policy)
    assert client.get(_url("edit", policy.pk)).status_code == 200


@pytest.mark.django_db
def test_drafting_department_rules(scene, departments, make_user):
    drafter, office = scene["drafter"], scene["office"]
    with pytest.raises(PermissionDenied):
        actions.create_policy(
            actor=drafter,
            title="替别的部门起草",
            issuer=departments["区民政局"],
            drafting_department=departments["区民政局"],
        )
    policy = actions.create_policy(actor=drafter, title="本部门起草", issuer=departments["区民政局"])
    assert policy.drafting_department == departments["区发展改革委"] and policy.created_by == drafter
    # a drafter cannot move the draft to another department (and lose it)
    with pytest.raises(PermissionDenied):
        actions.update_policy(policy, actor=drafter, drafting_department=departments["区民政局"])
    actions.update_policy(policy, actor=drafter, issuer=departments["区政府"])
    policy.refresh_from_db()
    assert policy.issuer == departments["区政府"] and actions.can_edit_policy(drafter, policy)
    # the openness office hands it over; the record moves at once
    actions.update_policy(policy, actor=office, drafting_department=departments["区民政局"])
    policy.refresh_from_db()
    assert policy.drafting_department == departments["区民政局"]
    assert not actions.can_edit_policy(drafter, policy)
    assert actions.can_edit_policy(make_user(roles.DRAFTER, "区民政局"), policy)
    # an external authority's document (国务院 …) has no drafting department: district-wide roles only
    external = actions.create_policy(
        actor=None, title="国务院关于某事的通知", issuer=departments["区政府"], drafting_department=None
    )
    assert external.drafting_department is None
    assert not actions.can_edit_policy(drafter, external)
    assert actions.can_edit_policy(office, external)


@pytest.mark.django_db
def test_updating_a_published_policy_with_a_pending_draft(scene):
    """Was a 500 ('Department has no field named pk') when a live policy already had a draft revision."""
    officer = scene["officer"]
    policy = actions.publish_policy(scene["own"], actor=None)
    actions.update_policy(policy, actor=officer, summary="待发布的修改")
    draft = actions.update_policy(policy, actor=officer, needs_legality_review=True)
    assert draft.needs_legality_review
    policy.refresh_from_db()
    assert not policy.needs_legality_review  # the public keeps the published version until it is republished
    entry = entries_for(policy).filter(action="policy.update").first()
    assert entry.after == {"needs_legality_review": True}


@pytest.mark.django_db
def test_audit_log_is_viewable_and_read_only(client, make_policy, admin_user):
    make_policy("审计示例")
    client.force_login(admin_user)
    response = client.get("/admin/auditentry/")
    assert response.status_code == 200
    assert "policy.publish" in response.content.decode()
    assert client.get("/admin/auditentry/new/").status_code in (302, 403)


@pytest.mark.django_db
def test_audit_log_is_scoped(client, scene):
    client.force_login(scene["drafter"])
    page = client.get("/admin/auditentry/").content.decode()
    assert "发改委草稿" in page and SECRET not in page


@pytest.mark.django_db
def test_autosaves_while_typing_make_one_audit_entry(client, scene, form_data):
    """Wagtail's editor autosaves the draft every few seconds (JSON posts overwriting the same revision): the
    audit log gets one entry for the editing session, from the first text to the last."""
    own = scene["own"]
    client.force_login(scene["drafter"])
    data = form_data(client.get(_url("edit", own.pk)).content.decode(), EDITOR_FORM)
    data["summary"] = "第一次自动保存"
    first = client.post(_url("edit", own.pk), data, HTTP_ACCEPT="application/json")
    assert first.status_code == 200, first.content[:500]
    revision_id = first.json()["revision_id"]
    data.update({"summary": "第二次自动保存", "overwrite_revision_id": str(revision_id)})
    data["loaded_revision_id"] = str(revision_id)
    data["loaded_revision_created_at"] = first.json()["revision_created_at"]
    second = client.post(_url("edit", own.pk), data, HTTP_ACCEPT="application/json")
    assert second.status_code == 200, second.content[:500]
    entries = entries_for(own).filter(action="policy.update")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.before["summary"] == "" and entry.after["summary"] == "第二次自动保存"


@pytest.mark.django_db
def test_usage_counts_only_records_the_user_may_see(client, scene, make_user):
    """Another department's draft that refers to our published policy is neither listed nor counted."""
    from wagtail.models import ReferenceIndex

    from gongkai.policies.models import RelationKind

    public = actions.publish_policy(scene["own"], actor=None)
    other = scene["other"]
    actions.add_relation(other, public, RelationKind.IMPLEMENTS, actor=None)
    ReferenceIndex.create_or_update_for_object(Policy.objects.get(pk=other.pk))
    assert ReferenceIndex.get_grouped_references_to(public).count() == 1
    client.force_login(scene["officer"])
    page = client.get(_url("edit", public.pk)).content.decode()
    assert "已使用0次" in page.replace(" ", "")
    usage = client.get(_url("usage", public.pk)).content.decode()
    assert SECRET not in usage and "无权查看" not in usage
    client.force_login(scene["office"])
    assert "已使用1次" in client.get(_url("edit", public.pk)).content.decode().replace(" ", "")
