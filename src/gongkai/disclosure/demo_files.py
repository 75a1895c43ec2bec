"""Demo files of disclosure on request (issue 11, item 8): identity proofs (PNG, PDF), a sent reply letter (.docx
and sealed PDF), a case document; all private. The applicant's link is printed to `var/demo-login.txt`'s neighbour
`var/demo-disclosure.txt` (tracking number and query code, to try the signed download). Idempotent."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.core.samples import sample_upload

DEMO_TITLE = "西城区2023年度老旧小区改造项目清单（演示文件）"


def _applicant(**extra) -> dict:
    data = {
        "applicant_type": "natural_person",
        "organization_kind": "",
        "applicant_name": "张三丰",
        "id_type": "id_card",
        "id_number": "11010519491231002X",
        "legal_representative": "",
        "contact_person": "",
        "phone": "13812345678",
        "email": "zhangsan@example.invalid",
        "address": "北京市西城区月坛北街甲1号",
        "postal_code": "100045",
        "information_title": DEMO_TITLE,
        "information_doc_number": "",
        "description": "西城区2023年度老旧小区综合整治项目的名单及资金安排",
        "information_form": "electronic",
        "delivery_method": "online",
    }
    data.update(extra)
    return data


@transaction.atomic
def load_demo_files() -> str:
    from gongkai.core.models import Department, User

    from . import actions
    from .models import DisclosureRequest, ReviewCase
    from .outcomes import Outcome

    if DisclosureRequest.objects.filter(information_title=DEMO_TITLE).exists():
        return "已存在"
    dept = (
        Department.objects.filter(short_name="区发展改革委").first()
        or Department.objects.filter(name__contains="发展和改革").first()
    )
    officer = User.objects.filter(username="officer_fgw").first()
    if dept is None or officer is None:
        return "缺少演示部门或用户，跳过"
    dept = officer.department or dept
    if actions.active_seal(dept) is None:
        actions.generate_department_seal(dept, actor=None)
    data = _applicant(department=dept)
    replied, code = actions.create_request(
        actor=None, channel="online", data=data, identity_proof=sample_upload("身份证.png")
    )
    actions.confirm_receipt(replied, actor=officer, day=timezone.localdate())
    actions.claim_request(replied, actor=officer)
    reply = actions.draft_reply(replied, actor=officer, outcome=Outcome.DISCLOSED)
    # the letter says 见附件: the information goes with it (the reply check refuses it otherwise)
    actions.add_released_file(
        reply, actor=officer, file=sample_upload("项目清单.pdf", "西城区2023年度老旧小区改造项目清单（演示）")
    )
    actions.send_reply(reply, actor=officer)
    actions.register_case(
        replied,
        actor=officer,
        kind="review",
        authority="北京市西城区人民政府",
        filed_on=timezone.localdate(),
        case_number="西政复〔演示〕1号",
        document=sample_upload("行政复议申请书.pdf", "行政复议申请书（演示）"),
    )
    pending, _code2 = actions.create_request(
        actor=None,
        channel="online",
        data=_applicant(
            department=dept,
            applicant_name="李四",
            id_number="110102198506120035",
            phone="13900001111",
            information_title="2024年度小微企业补贴发放情况（演示文件）",
            description="2024年度本区小微企业补贴的发放对象和金额",
        ),
        identity_proof=sample_upload("身份证明.pdf", "身份证明（演示）"),
    )
    note = Path(settings.VAR_DIR) / "demo-disclosure.txt"
    note.write_text(
        f"依申请公开演示：申请编号 {replied.tracking_number}  查询码 {code}\n"
        f"（在 /disclosure/track/ 查询后可下载答复告知书；承办人 officer_fgw 可看身份证明）\n",
        encoding="utf-8",
    )
    note.chmod(0o600)
    cases = ReviewCase.objects.filter(request=replied).count()
    return f"申请 2 件（身份证明 2 份）、已答复 1 件（.docx/.pdf）、复议文书 {cases} 份；查询码见 {note}"
