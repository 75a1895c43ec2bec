from gongkai.secrecy import scanner
from gongkai.secrecy.aggregation import aggregation_risks, scan_documents


def test_name_with_phone_in_one_and_id_in_another_is_a_high_risk():
    risks = aggregation_risks(
        [
            ("通知.txt", "获奖人员：张三，手机13800138000。"),
            ("名单.txt", "序号 姓名 身份证号\n1 张三 11010519491231002X\n"),
        ]
    )
    assert len(risks) == 1
    risk = risks[0]
    assert risk.severity == scanner.HIGH
    assert risk.documents == ["名单.txt", "通知.txt"]
    assert set(risk.types) == {scanner.PERSON_NAME, scanner.MOBILE, scanner.RESIDENT_ID}
    assert "11010519491231002X" not in risk.message and "110105********002X" in risk.message


def test_same_phone_links_documents_without_repeating_the_name():
    risks = aggregation_risks(
        [
            ("甲", "联系人：李四，手机138-0013-8000"),
            ("乙", "车主手机 13800138000，车牌号京A·12345"),
        ]
    )
    assert len(risks) == 1 and risks[0].severity == scanner.HIGH  # name + phone + plate single a person out
    assert set(risks[0].types) == {scanner.PERSON_NAME, scanner.MOBILE, scanner.LICENCE_PLATE}


def test_name_with_phone_and_email_is_medium():
    risks = aggregation_risks(
        [
            ("甲", "联系人：李四，手机138-0013-8000"),
            ("乙", "手机 13800138000 邮箱 lisi@example.com"),
        ]
    )
    assert len(risks) == 1 and risks[0].severity == scanner.MEDIUM


def test_office_contacts_are_not_linked():
    risks = aggregation_risks(
        [
            ("a", "办公电话 010-65123456 地址：月坛北街12号院3号楼2单元"),
            ("b", "联系人：张三 电话 010-65123456"),
        ]
    )
    assert risks == []


def test_nothing_new_together_is_no_risk():
    same = "联系人：张三，手机13800138000"
    assert aggregation_risks([("a", same), ("b", same)]) == []
    assert aggregation_risks([("a", "办公电话 010-65123456"), ("b", "咨询电话 010-65123456")]) == []
    assert aggregation_risks([("a", "")]) == []


def test_scan_documents_reports_both():
    result = scan_documents([("a", "张三，身份证号11010519491231002X"), ("b", "张三 手机13800138000")])
    assert set(result["documents"]) == {"a", "b"}
    assert result["aggregation"]


def test_batch_publication_is_blocked_by_aggregation(make_policy, admin_user):
    import pytest

    from gongkai.core.audit import entries_for
    from gongkai.policies.actions import publish_policies
    from gongkai.policies.publication import PublicationBlocked

    notice = make_policy("获奖名单公示", body="获奖人员：张三，手机13800138000。", publish=False)
    detail = make_policy(
        "走访安排", body="手机 13800138000 住址：月坛北街12号院3号楼2单元501室", publish=False
    )
    # neither alone has a high finding: only together they give a name, a phone and a home address
    from gongkai.secrecy.checks import policy_confidentiality_problems

    assert policy_confidentiality_problems(notice) == policy_confidentiality_problems(detail) == []
    with pytest.raises(PublicationBlocked) as excinfo:
        publish_policies([notice, detail], actor=None)
    assert any("汇聚风险" in p.message for p in excinfo.value.problems)
    notice.refresh_from_db()
    assert not notice.live  # all or none
    published = publish_policies([notice, detail], actor=admin_user, override_reason="经审批公开发放明细")
    assert all(p.live for p in published)
    assert entries_for(notice).filter(action="policy.publish_batch_override").exists()


def test_batch_of_harmless_policies_publishes(make_policy):
    from gongkai.policies.actions import publish_policies

    a = make_policy("甲", body="联系人：李四，手机13800138000", publish=False)
    b = make_policy("乙", body="第一条 本办法自发布之日起施行。", publish=False)
    assert all(p.live for p in publish_policies([a, b], actor=None))
