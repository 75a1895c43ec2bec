"""The access matrix of stored files over the production serving path (issue 11, "Show"): the WSGI application
in-process with the production settings, every request as the local TLS proxy forwards it. For each kind of file
and each kind of visitor the expected answer; guessing the path of a private file never returns it; the public
attachments of published policies download with 200."""

from __future__ import annotations

import datetime
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from gongkai.core import roles
from gongkai.core.samples import sample_upload

from .conftest import VIA_PROXY

pytestmark = pytest.mark.django_db

ANON, APPLICANT, SAME_ROLE, SAME_OTHER_ROLE, SAME_NO_ROLE, OTHER_DEPT, DISTRICT, ASSIGNED, ADMIN = (
    "anonymous",
    "applicant link",
    "same department, with the role",
    "same department, other role",
    "same department, no role",
    "other department",
    "district-wide",
    "assigned handler",
    "administrator",
)
OK = 200


def _client(user=None) -> Client:
    client = Client(**VIA_PROXY)
    if user is not None:
        client.force_login(user)
    return client


DENIED = "denied"


def _status(client, url):
    """200, or DENIED for a refusal: 403, 404, or Wagtail's redirect (to the login page or, for a member of staff
    without the permission, to the dashboard with an error message) — never the file."""
    response = client.get(url)
    body = (
        b"".join(response.streaming_content) if hasattr(response, "streaming_content") else response.content
    )
    if response.status_code == 200:
        return OK
    assert response.status_code in (302, 403, 404), (url, response.status_code)
    assert not body.startswith((b"%PDF", b"PK", b"\x89PNG", b"ID3")), url
    return DENIED


@pytest.fixture
def world(production_settings, departments, make_user, make_policy, admin_user):
    """One file of every kind, made through the actions, and the visitors."""
    from gongkai.core import calendar
    from gongkai.disclosure import actions as disclosure
    from gongkai.disclosure.outcomes import Outcome
    from gongkai.policies import actions as policies
    from gongkai.policies.models import DisclosureAttribute, InterpretationForm
    from gongkai.supervision import actions as supervision
    from gongkai.supervision.tests.conftest import small_parse

    calendar.clear_cache()
    calendar.seed_from_chinese_calendar(years=[2024, 2025])
    people = {
        ASSIGNED: make_user(roles.DEPARTMENT_OFFICER, "区发展改革委", username="assigned"),
        SAME_ROLE: make_user(roles.DEPARTMENT_OFFICER, "区发展改革委", username="colleague"),
        SAME_OTHER_ROLE: make_user(roles.DRAFTER, "区发展改革委", username="drafter"),
        SAME_NO_ROLE: make_user(None, "区发展改革委", username="norole"),
        OTHER_DEPT: make_user(roles.DEPARTMENT_OFFICER, "区民政局", username="other"),
        DISTRICT: make_user(roles.OPENNESS_OFFICE, "区政务服务局", username="office"),
        ADMIN: admin_user,
    }
    # The department's disclosure handlers (依申请公开办理人员, issue 10): the assignee and a colleague.
    for who in (ASSIGNED, SAME_ROLE):
        roles.assign_role(people[who], roles.DISCLOSURE_HANDLER)
    # policy library
    public = make_policy("公开的政策", publish=False)
    policies.add_attachment(public, actor=None, title="公开附件", file=sample_upload("公开附件.pdf"))
    public = policies.publish_policy(public, actor=None)
    internal = make_policy(
        "不予公开的政策",
        publish=False,
        disclosure=DisclosureAttribute.NOT_DISCLOSED,
        disclosure_reason="内部事务信息（条例第十六条）",
    )
    policies.add_attachment(internal, actor=None, title="内部附件", file=sample_upload("内部附件.docx"))
    internal = policies.publish_policy(internal, actor=None)
    draft = make_policy("草稿政策", publish=False)
    policies.add_attachment(draft, actor=None, title="草稿附件", file=sample_upload("草稿附件.pdf"))
    audio = policies.create_interpretation(
        actor=None,
        policies=[public],
        title="音频解读",
        form=InterpretationForm.AUDIO,
        media_file=sample_upload("解读.mp3"),
        transcript="文字稿",
    )
    # disclosure on request, handled by the assigned officer
    seal = disclosure.generate_department_seal(departments["区发展改革委"], actor=admin_user)
    data = {
        "applicant_type": "natural_person",
        "applicant_name": "张三丰",
        "id_type": "id_card",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "department": departments["区发展改革委"],
        "information_title": "老旧小区改造项目清单",
        "description": "2023年度老旧小区综合整治项目的名单",
        "information_form": "electronic",
        "delivery_method": "online",
    }
    from django.utils import timezone

    req, code = disclosure.create_request(
        actor=None,
        channel="online",
        data=data,
        identity_proof=sample_upload("身份证.png"),
        submitted_at=timezone.make_aware(datetime.datetime(2024, 9, 27, 10)),
    )
    disclosure.confirm_receipt(req, actor=people[ASSIGNED], day=datetime.date(2024, 9, 27))
    disclosure.claim_request(req, actor=people[ASSIGNED])
    reply = disclosure.draft_reply(req, actor=people[ASSIGNED], outcome=Outcome.DISCLOSED)
    reply = disclosure.send_reply(reply, actor=people[ASSIGNED], day=datetime.date(2024, 10, 8))
    case = disclosure.register_case(
        req,
        actor=people[ASSIGNED],
        kind="review",
        authority="区人民政府",
        filed_on=datetime.date(2024, 11, 1),
        document=sample_upload("复议申请书.pdf"),
    )
    # supervision evidence: one report waiting, one accepted in the published plan
    plan = supervision.import_workplan(small_parse(), actor=people[DISTRICT])
    plan = supervision.confirm_plan(plan, actor=people[DISTRICT], today=datetime.date(2024, 1, 2))
    supervision.publish_plan(plan, actor=people[DISTRICT])
    task = plan.tasks.get(ref="一（一）1")
    pending = supervision.submit_report(
        task,
        actor=people[ASSIGNED],
        summary="进行中",
        percent=50,
        evidence=[{"kind": "file", "file": sample_upload("待审核佐证.pdf")}],
        today=datetime.date(2024, 6, 3),
    )
    accepted = supervision.submit_report(
        task,
        actor=people[ASSIGNED],
        summary="已完成",
        percent=100,
        claims_completion=True,
        evidence=[{"kind": "file", "file": sample_upload("已采纳佐证.xlsx")}],
        today=datetime.date(2024, 6, 4),
    )
    supervision.accept_report(accepted, actor=people[DISTRICT], today=datetime.date(2024, 6, 5))
    from django.core import signing

    from gongkai.disclosure.views import _DOWNLOAD_SALT

    token = signing.dumps(reply.pk, salt=_DOWNLOAD_SALT)
    files = {
        "public attachment": public.attachments.get().file,
        "attachment of a 不予公开 policy": internal.attachments.get().file,
        "attachment of a draft": draft.attachments.get().file,
        "interpretation media (not public)": audio.media_file,
        "identity proof": req.identity_proof,
        "reply letter .pdf": reply.pdf_file,
        "reply letter .docx": reply.docx_file,
        "case document": case.document,
        "evidence, pending": pending.evidence.get().file,
        "evidence, accepted": accepted.evidence.get().file,
        "seal image": seal.image,
    }
    urls = {
        "identity proof": reverse("disclosure_admin:identity_proof", args=[req.pk]),
        "reply letter .pdf": reverse("disclosure_admin:reply_file", args=[req.pk, "pdf"]),
        "reply letter .docx": reverse("disclosure_admin:reply_file", args=[req.pk, "docx"]),
        "case document": reverse("disclosure_admin:case_document", args=[req.pk, case.pk]),
        "applicant .pdf": reverse("disclosure:reply_download", args=[token, "pdf"]),
        "applicant .docx": reverse("disclosure:reply_download", args=[token, "docx"]),
        "evidence, pending (public view)": reverse(
            "supervision:evidence_file", args=[pending.evidence.get().pk]
        ),
        "evidence, accepted (public view)": reverse(
            "supervision:evidence_file", args=[accepted.evidence.get().pk]
        ),
    }
    return {"people": people, "files": files, "urls": urls, "public": public, "req": req, "reply": reply}


# The staff view (signed link of the private storage, `core.storage.private_file`) per file and visitor.
SIGNED_LINK = {
    "attachment of a 不予公开 policy": {SAME_ROLE: OK, SAME_OTHER_ROLE: OK, SAME_NO_ROLE: DENIED, OTHER_DEPT: DENIED, DISTRICT: OK, ANON: DENIED},
    "attachment of a draft": {SAME_ROLE: OK, SAME_OTHER_ROLE: OK, SAME_NO_ROLE: DENIED, OTHER_DEPT: DENIED, DISTRICT: OK, ANON: DENIED},
    "interpretation media (not public)": {SAME_ROLE: OK, SAME_OTHER_ROLE: OK, SAME_NO_ROLE: DENIED, OTHER_DEPT: DENIED, DISTRICT: OK, ANON: DENIED},
    "identity proof": {ASSIGNED: OK, SAME_ROLE: DENIED, SAME_OTHER_ROLE: DENIED, SAME_NO_ROLE: DENIED, OTHER_DEPT: DENIED, DISTRICT: DENIED, ANON: DENIED},
    "reply letter .pdf": {ASSIGNED: OK, SAME_ROLE: DENIED, SAME_OTHER_ROLE: DENIED, SAME_NO_ROLE: DENIED, OTHER_DEPT: DENIED, DISTRICT: OK, ANON: DENIED},
    "case document": {ASSIGNED: OK, SAME_ROLE: OK, SAME_OTHER_ROLE: DENIED, SAME_NO_ROLE: DENIED, OTHER_DEPT: DENIED, DISTRICT: OK, ANON: DENIED},
    "evidence, pending": {ASSIGNED: OK, SAME_ROLE: OK, SAME_OTHER_ROLE: DENIED, SAME_NO_ROLE: DENIED, OTHER_DEPT: DENIED, DISTRICT: OK, ANON: DENIED},
    "seal image": {ADMIN: OK, ASSIGNED: DENIED, SAME_ROLE: DENIED, OTHER_DEPT: DENIED, DISTRICT: DENIED, ANON: DENIED},
}  # fmt: skip

# The named views of the disclosure admin and the public links.
NAMED_VIEWS = {
    "identity proof": {ASSIGNED: OK, SAME_ROLE: DENIED, SAME_OTHER_ROLE: DENIED, OTHER_DEPT: DENIED, DISTRICT: DENIED, ANON: DENIED},
    "reply letter .pdf": {ASSIGNED: OK, SAME_ROLE: OK, SAME_OTHER_ROLE: DENIED, OTHER_DEPT: DENIED, DISTRICT: OK, ANON: DENIED},
    "reply letter .docx": {ASSIGNED: OK, SAME_ROLE: OK, SAME_OTHER_ROLE: DENIED, OTHER_DEPT: DENIED, DISTRICT: OK, ANON: DENIED},
    "case document": {ASSIGNED: OK, SAME_ROLE: OK, SAME_OTHER_ROLE: DENIED, OTHER_DEPT: DENIED, DISTRICT: OK, ANON: DENIED},
    "applicant .pdf": {APPLICANT: OK},
    "applicant .docx": {APPLICANT: OK},
    "evidence, pending (public view)": {ANON: DENIED},
    "evidence, accepted (public view)": {ANON: OK},
}  # fmt: skip


def _visitor_client(world, who):
    if who in (ANON, APPLICANT):
        return _client()
    return _client(world["people"][who])


def test_signed_links_to_private_files(world):
    failures = []
    for kind, expected in SIGNED_LINK.items():
        url = world["files"][kind].url
        assert url.startswith("/admin/files/")
        for who, status in expected.items():
            got = _status(_visitor_client(world, who), url)
            if got != status:
                failures.append(f"{kind} × {who}: expected {status}, got {got}")
    assert not failures, "\n".join(failures)


def test_named_views_and_applicant_links(world):
    failures = []
    for kind, expected in NAMED_VIEWS.items():
        url = world["urls"][kind]
        for who, status in expected.items():
            got = _status(_visitor_client(world, who), url)
            if got != status:
                failures.append(f"{kind} × {who}: expected {status}, got {got}")
    assert not failures, "\n".join(failures)


def test_other_officers_get_the_reply_with_the_applicant_masked(world):
    import io

    from docx import Document

    full = _client(world["people"][ASSIGNED]).get(world["urls"]["reply letter .docx"])
    masked = _client(world["people"][SAME_ROLE]).get(world["urls"]["reply letter .docx"])

    def text(response):
        data = (
            b"".join(response.streaming_content)
            if hasattr(response, "streaming_content")
            else response.content
        )
        return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)

    assert "张三丰" in text(full)
    assert "张三丰" not in text(masked) and "张**" in text(masked)
    assert "%E5%B7%B2%E9%81%AE%E8%94%BD" in masked["Content-Disposition"]  # 已遮蔽 in the file name
    page = _client(world["people"][SAME_ROLE]).get(reverse("disclosure_admin:detail", args=[world["req"].pk]))
    assert page.status_code == 200 and "张三丰" not in page.content.decode()


def test_public_attachment_downloads_with_200_and_its_real_type(world):
    client = _client()
    html = client.get(world["public"].get_absolute_url()).content.decode()
    from gongkai.core.storage import public_url

    url = public_url(world["files"]["public attachment"])
    assert url and url.startswith("/media/") and url in html
    response = client.get(url)
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "公开附件" in unquote(response["Content-Disposition"])
    # the API gives the same address
    api = client.get(f"/api/v1/policies/{world['public'].pk}").json()
    assert api["attachments"][0]["url"] == url


def test_guessing_private_paths_never_returns_them(world):
    client = _client()
    names = [f.name for kind, f in world["files"].items() if kind != "public attachment"]
    data_dir = Path(settings.VAR_DIR)
    guesses = []
    for name in names:
        guesses += [
            f"/media/{name}",
            f"/media/../private/{name}",
            f"/media/%2e%2e/private/{name}",
            f"/private/{name}",
            f"/var/private/{name}",
            f"/static/../private/{name}",
            f"/media/{Path(name).name}",
        ]
    guesses += [f"/media/../{p}" for p in ("demo-login.txt", "gongkai.sqlite3", "mail/x.log")]
    guesses += ["/media/disclosure/replies/XC-2024-0001.pdf", "/media/policies/2024/03/内部附件.docx"]
    guesses += [f"/admin/files/{Path(name).name}/" for name in names]  # an unsigned name is not a link
    staff = _client(world["people"][DISTRICT])
    for url in guesses:
        for c in (client, staff):
            response = c.get(url)
            assert response.status_code in (302, 400, 403, 404), (url, response.status_code)
    assert data_dir.exists()


def test_files_follow_the_record(world):
    """Unpublishing, changing the disclosure attribute and republishing move the attachment with the record."""
    from gongkai.core.storage import public_url
    from gongkai.policies import actions
    from gongkai.policies.models import DisclosureAttribute

    policy, f = world["public"], world["files"]["public attachment"]
    client = _client()
    url = public_url(f)
    assert _status(client, url) == OK
    actions.unpublish_policy(policy, actor=None, reason="撤回")
    assert public_url(f) is None and _status(client, url) == DENIED
    actions.publish_policy(policy, actor=None)
    url2 = public_url(f)
    assert url2 and url2 != url and _status(client, url2) == OK
    actions.update_policy(
        policy,
        actor=None,
        disclosure=DisclosureAttribute.ON_REQUEST,
        disclosure_reason="依申请公开（第二十七条）",
    )
    actions.publish_policy(policy, actor=None)
    assert public_url(f) is None and _status(client, url2) == DENIED
    actions.update_policy(policy, actor=None, disclosure=DisclosureAttribute.PROACTIVE, disclosure_reason="")
    actions.publish_policy(policy, actor=None)
    assert public_url(f) is not None
    actions.declare_validity(policy, "repealed", actor=None, reason="已被新文件替代")
    # a repealed policy stays on the portal (marked 已废止), so does its attachment
    assert public_url(f) is not None
