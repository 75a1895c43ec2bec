import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from gongkai.core import roles
from gongkai.core.audit import entries_for
from gongkai.policies import actions as policy_actions
from gongkai.policies.models import DisclosureAttribute
from gongkai.policies.publication import PublicationBlocked
from gongkai.secrecy import scanner
from gongkai.secrecy.actions import redact_policy
from gongkai.secrecy.checks import policy_confidentiality_problems
from gongkai.secrecy.models import Redaction
from gongkai.secrecy.redaction import digest, mask_value, redact_text

BODY = "第一条 申请人张三，身份证号11010519491231002X，手机13800138000。\n第二条 本办法自发布之日起施行。"


@pytest.mark.parametrize(
    "kind,value,masked",
    [
        (scanner.RESIDENT_ID, "110105194912310021", "110105********0021"),
        (scanner.RESIDENT_ID, "11010519491231002X", "110105********002X"),
        (scanner.MOBILE, "13800138000", "138****8000"),
        (scanner.MOBILE, "+86 138-0013-8000", "+86 138-****-8000"),
        (scanner.BANK_CARD, "6222 6002 6000 1072 444", "6222 **** **** ***2 444"),
        (scanner.EMAIL, "wang.li@xicheng.gov.cn", "w******@xicheng.gov.cn"),
        (scanner.PERSON_NAME, "欧阳明华", "欧***"),
        (scanner.ADDRESS, "月坛北街12号院3号楼", "月坛北街**号院*号楼"),
        (scanner.LICENCE_PLATE, "京A·12345", "京A·****5"),
        (scanner.CLASSIFICATION, "机密★5年", "■■■■■"),
    ],
)
def test_default_masks(kind, value, masked):
    assert mask_value(value, kind) == masked
    assert len(mask_value(value, kind)) == len(value)


def test_masks_are_configurable():
    assert (
        mask_value(
            "11010519491231002X", scanner.RESIDENT_ID, {scanner.RESIDENT_ID: {"keep_start": 0, "keep_end": 0}}
        )
        == "*" * 18
    )
    with override_settings(GONGKAI_SECRECY_MASKS={"mobile": {"keep_start": 0, "keep_end": 2, "char": "#"}}):
        from gongkai.secrecy.redaction import mask_settings

        assert mask_value("13800138000", scanner.MOBILE, mask_settings()) == "#########00"


def test_redact_text_records_what_and_why_without_the_original():
    findings = scanner.scan_text(BODY)
    result = redact_text(BODY, findings)
    assert "11010519491231002X" not in result.text and "110105********002X" in result.text
    assert "138****8000" in result.text and "张*" in result.text
    assert len(result.text) == len(BODY)
    assert scanner.scan_text(result.text) == []
    kinds = [i["type"] for i in result.items]
    assert kinds == [scanner.PERSON_NAME, scanner.RESIDENT_ID, scanner.MOBILE]
    assert result.items[1]["sha256"] == digest("11010519491231002X")
    assert all("11010519491231002X" not in str(v) for item in result.items for v in item.values())


def test_stale_findings_are_not_masked():
    findings = scanner.scan_text(BODY)
    result = redact_text("完全不同的文字" * 20, findings)
    assert result.items == []


def test_high_finding_blocks_publication_until_redacted(make_policy, make_user):
    policy = make_policy(body=BODY, publish=False)
    problems = policy_confidentiality_problems(policy)
    assert problems and "公民身份号码" in problems[0]
    with pytest.raises(PublicationBlocked) as excinfo:
        policy_actions.publish_policy(policy, actor=None)
    assert any(p.check == "secrecy" for p in excinfo.value.problems)
    officer = make_user(roles.DEPARTMENT_OFFICER, "区发展改革委")
    with pytest.raises(ValidationError):
        redact_policy(policy, actor=officer, reason="  ")
    records = redact_policy(policy, actor=officer, reason="公开文件不得含个人身份信息")
    assert len(records) == 1 and records[0].field == "body"
    assert {i["type"] for i in records[0].items} == {scanner.PERSON_NAME, scanner.RESIDENT_ID, scanner.MOBILE}
    assert Redaction.objects.filter(object_id=str(policy.pk)).count() == 1
    assert entries_for(policy).filter(action="secrecy.redact").exists()
    policy.refresh_from_db()
    assert "110105********002X" in policy.body
    assert policy_confidentiality_problems(policy) == []
    policy = policy_actions.publish_policy(policy, actor=None)
    assert policy.live


def test_redacting_a_published_policy_makes_a_draft(make_policy, admin_user):
    policy = make_policy(body="第一条 联系人王五，手机13800138000。")  # medium only: publishes
    assert policy.live
    redact_policy(policy, actor=admin_user, reason="去除个人手机号")
    policy.refresh_from_db()
    assert "13800138000" in policy.body  # the public still sees the published text …
    assert (
        "138****8000" in policy.get_latest_revision_as_object().body
    )  # … until the redacted draft is published
    assert redact_policy(policy, actor=admin_user, reason="再次脱敏") == []  # nothing left to mask


def test_other_department_cannot_redact(make_policy, make_user):
    policy = make_policy(body=BODY, publish=False)
    stranger = make_user(roles.DRAFTER, "区教委")
    with pytest.raises(PermissionDenied):
        redact_policy(policy, actor=stranger, reason="x")
    assert not Redaction.objects.exists()


def test_override_with_reason_by_administrator(make_policy, admin_user, make_user):
    policy = make_policy(body="机密★5年\n" + BODY, publish=False)
    officer = make_user(roles.DEPARTMENT_OFFICER, "区发展改革委")
    with pytest.raises(PermissionDenied):
        policy_actions.publish_policy(policy, actor=officer, override_reason="已解密")
    policy = policy_actions.publish_policy(
        policy, actor=admin_user, override_reason="已按规定解密，见解密通知"
    )
    assert policy.live
    entry = entries_for(policy).get(action="policy.publish")
    assert "强制发布" in entry.note and "保密审查" in entry.note


def test_not_disclosed_policy_is_not_checked(make_policy):
    policy = make_policy(
        body="机密★5年\n" + BODY,
        disclosure=DisclosureAttribute.NOT_DISCLOSED,
        disclosure_reason="涉及国家秘密",
    )
    assert policy.live


def test_aggregation_across_body_and_attachment_blocks(make_policy, tmp_path, settings):
    from django.core.files.base import ContentFile

    from gongkai.policies.models import PolicyAttachment

    policy = make_policy(body="第一条 获奖人员：张三，手机13800138000。", publish=False)
    attachment = PolicyAttachment(policy=policy, title="名单")
    attachment.file.save("list.txt", ContentFile("张三 银行卡号 6222600260001072444\n".encode()), save=True)
    policy.save_revision()
    problems = policy_confidentiality_problems(policy)
    assert any("汇聚风险" in p for p in problems) or any("银行卡号" in p for p in problems)
    assert any("附件：名单" in p for p in problems)


def test_scan_is_an_automatic_check_of_the_pre_release_review(make_policy):
    from gongkai.review.checks import registered_checks, run_automatic_checks

    assert "confidentiality" in registered_checks()
    policy = make_policy("联系人信息", publish=False, body="联系人张三，身份证号110102198001011239。")
    outcome = {o.name: o for o in run_automatic_checks(policy)}["confidentiality"]
    assert not outcome.passed and "公民身份号码" in "".join(outcome.problems)
    clean = make_policy("无个人信息", publish=False, body="第一条 本办法自发布之日起施行。")
    assert {o.name: o for o in run_automatic_checks(clean)}["confidentiality"].passed
