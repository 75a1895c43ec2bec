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
    assert len(risks) == 1 and risks[0].severity == scanner.MEDIUM
    assert set(risks[0].types) == {scanner.PERSON_NAME, scanner.MOBILE, scanner.LICENCE_PLATE}


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
