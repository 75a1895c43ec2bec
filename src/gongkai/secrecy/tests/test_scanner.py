import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.secrecy import scanner
from gongkai.secrecy.scanner import (
    credit_code_check_char,
    is_valid_credit_code,
    is_valid_resident_id,
    luhn_ok,
    resident_id_check_digit,
    scan_text,
)

# Published examples: GB 11643-1999 itself gives 11010519491231002X and 440524188001010014.
VALID_IDS = ["11010519491231002X", "440524188001010014"]
VALID_CREDIT_CODE = "91350100M000100Y43"


def types(text):
    return [(f.type, f.text) for f in scan_text(text)]


def test_resident_id_check_digit_by_hand():
    # 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2 = 182; 182 % 11 = 6 -> "X"
    assert resident_id_check_digit("11010519491231002") == "X"
    assert all(is_valid_resident_id(n) for n in VALID_IDS)
    assert is_valid_resident_id("11010519491231002x")


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check digit
        "110105194913310020",  # month 13
        "110105194902300029",  # 30 February
        "910105194912310024",  # no province starts with 9
        "11010519491231002",  # 17 digits
        "110105299912310028",  # born in the future
    ],
)
def test_invalid_resident_ids_are_not_ids(number):
    assert not is_valid_resident_id(number)
    assert scanner.RESIDENT_ID not in [f.type for f in scan_text(f"身份证号{number}。")]


def test_credit_code_check_char():
    assert credit_code_check_char(VALID_CREDIT_CODE[:17]) == VALID_CREDIT_CODE[17]
    assert is_valid_credit_code(VALID_CREDIT_CODE)
    assert not is_valid_credit_code(VALID_CREDIT_CODE[:17] + "X")
    assert not is_valid_credit_code("0" + VALID_CREDIT_CODE[1:])  # no registration authority 0
    assert not is_valid_credit_code(VALID_CREDIT_CODE[:8] + "I" + VALID_CREDIT_CODE[9:])  # I is not used


def test_luhn():
    assert luhn_ok("4111111111111111") and luhn_ok("6200000000000005")
    assert not luhn_ok("4111111111111112")


@pytest.mark.parametrize(
    "text,kind,found",
    [
        ("机密★5年", scanner.CLASSIFICATION, "机密★5年"),
        ("绝密★启用前", scanner.CLASSIFICATION, "绝密★启用前"),
        ("秘密★长期", scanner.CLASSIFICATION, "秘密★长期"),
        ("密级：机密", scanner.CLASSIFICATION, "密级：机密"),
        ("保密期限：20年", scanner.CLASSIFICATION, "保密期限：20年"),
        ("保密期限：６个月", scanner.CLASSIFICATION, "保密期限：６个月"),
        ("标题\n  秘密  \n正文", scanner.CLASSIFICATION, "秘密"),
        ("内部资料，注意保存\n正文", scanner.INTERNAL, "内部资料，注意保存"),
        ("内部★", scanner.INTERNAL, "内部★"),
        ("公开属性：不予公开", scanner.NOT_DISCLOSED, "公开属性：不予公开"),
        ("关于某事的通知（此件不公开）", scanner.NOT_DISCLOSED, "（此件不公开）"),
        ("证号11010519491231002X。", scanner.RESIDENT_ID, "11010519491231002X"),
        (
            "证号１１０１０５１９４９１２３１００２Ｘ。",
            scanner.RESIDENT_ID,
            "１１０１０５１９４９１２３１００２Ｘ",
        ),
        ("代码91350100M000100Y43。", scanner.CREDIT_CODE, "91350100M000100Y43"),
        ("手机：13800138000", scanner.MOBILE, "13800138000"),
        ("手机：+86 138-0013-8000", scanner.MOBILE, "+86 138-0013-8000"),
        ("电话（010）65123456", scanner.LANDLINE, "（010）65123456"),
        ("电话010-65123456转8001", scanner.LANDLINE, "010-65123456转8001"),
        ("联系电话：66012345", scanner.LANDLINE, "66012345"),
        ("卡号 6222 6002 6000 1072 444 开户", scanner.BANK_CARD, "6222 6002 6000 1072 444"),
        ("卡4111111111111111", scanner.BANK_CARD, "4111111111111111"),
        ("邮箱 wang.li@xicheng.gov.cn。", scanner.EMAIL, "wang.li@xicheng.gov.cn"),
        ("住月坛北街12号院3号楼2单元501室。", scanner.ADDRESS, "月坛北街12号院3号楼2单元501室"),
        ("住在5号楼3单元602室", scanner.ADDRESS, "5号楼3单元602室"),
        ("车辆京A·12345违停", scanner.LICENCE_PLATE, "京A·12345"),
        ("新能源车京AD12345", scanner.LICENCE_PLATE, "京AD12345"),
    ],
)
def test_each_type_is_found(text, kind, found):
    assert (kind, found) in types(text)
    for f in scan_text(text):
        assert text[f.start : f.end] == f.text
        assert f.severity in scanner.SEVERITY_ORDER and f.rule


def test_names_next_to_personal_items():
    text = "申请人张三，身份证号11010519491231002X；联系人：欧阳明华，手机13800138000；经办人李四 电话 010-65123456"
    found = {(f.type, f.text, f.severity) for f in scan_text(text)}
    assert (scanner.PERSON_NAME, "张三", scanner.HIGH) in found
    assert (scanner.PERSON_NAME, "欧阳明华", scanner.MEDIUM) in found
    assert (scanner.PERSON_NAME, "李四", scanner.LOW) in found


def test_labels_and_words_are_not_names():
    found = types("车牌号京A·12345。各部门联系电话：66012345。本人手机13800138000")
    assert not [t for t in found if t[0] == scanner.PERSON_NAME]


def test_an_id_is_not_also_a_phone_or_a_card():
    found = types("号码11010519491231002X")
    assert found == [(scanner.RESIDENT_ID, "11010519491231002X")]


@pytest.mark.parametrize(
    "text",
    [
        "国家秘密的密级分为绝密、机密、秘密三级。",
        "机关、单位应当根据工作需要，确定具体的保密期限、解密时间或者解密条件。",
        "行政机关不予公开的，应当告知申请人并说明理由。",
        "加强内部管理，完善内部控制制度。",
        "本办法自2024年1月1日起施行，2023年12月31日前已受理的事项按原规定办理。",
        "资金5000000元，编号20240101001号。",
        "第十二条 每户补贴3000元，12345热线受理投诉。",
        "1号文件印发后，3室1厅的住房面积按90平方米计算。",
        "办公室、会议室和档案室的管理",
        "京津冀协同发展",
        "ISO 9001:2015 与 GB/T 19001-2016",
        "12345678901234567890123456789",
    ],
)
def test_prose_and_ordinary_numbers_are_not_findings(text):
    assert scan_text(text) == []


def test_types_filter_and_empty():
    assert scan_text("") == []
    text = "手机13800138000，机密★1年"
    assert [f.type for f in scan_text(text, types=[scanner.MOBILE])] == [scanner.MOBILE]
    assert scanner.has_high(scan_text(text)) and scanner.max_severity(scan_text(text)) == scanner.HIGH
    with pytest.raises(TypeError):
        scan_text(b"bytes")


@pytest.mark.parametrize(
    "text",
    [
        "1" * 200_000,
        "@" * 100_000,
        "a@" * 50_000,
        "a@" + "a." * 50_000,
        "秘密★" * 20_000,
        "秘密\n" * 20_000,
        "1号楼" * 20_000,
        "京A" * 50_000,
        "\x00" * 100_000,
        "\ud800\udfff" * 10_000,
        "１" * 100_000,
        "1 " * 100_000,
        "张三13800138000" * 5_000,
        "\u202e\u200b11010519491231002X\u200d",
    ],
)
def test_hostile_input_is_scanned_consistently(text):
    findings = scan_text(text)
    previous_end = -1
    for f in findings:
        assert text[f.start : f.end] == f.text
        assert f.start >= previous_end  # no overlaps
        previous_end = f.end


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("0123456789X@.-秘密★内部京A号楼单元室张三电话：\n （）"), max_size=300)
)
def test_random_text_never_breaks_the_scanner(text):
    for f in scan_text(text):
        assert text[f.start : f.end] == f.text
        assert f.type in scanner.FINDING_TYPES


@settings(max_examples=100, deadline=None)
@given(
    st.from_regex(r"[1-8][0-9]{5}(19[0-9]{2})(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}", fullmatch=True)
)
def test_generated_ids_are_found_exactly_when_the_check_digit_is_right(first17):
    right = resident_id_check_digit(first17)
    wrong = "0" if right != "0" else "1"
    assert (scanner.RESIDENT_ID, first17 + right) in types(f"号码：{first17}{right}。")
    assert scanner.RESIDENT_ID not in [f.type for f in scan_text(f"号码：{first17}{wrong}。")]
