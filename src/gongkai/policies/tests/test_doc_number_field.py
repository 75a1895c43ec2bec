"""The policy's 发文字号: orders and announcements are valid, invisible characters never stored, the normal form
saved, unrepairable numbers refused with the named problem; 文件类别 and 行政规范性文件 agree."""

import pytest
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("北京市人民政府令第312号", "北京市人民政府令第312号"),
        ("国务院令第707号", "国务院令第707号"),
        ("国家税务总局公告2019年第44号", "国家税务总局公告2019年第44号"),
        ("财政部公告2015年第3号", "财政部公告2015年第3号"),
        ("省政府令 第216号", "省政府令第216号"),
        ("国发\u200b〔2020〕1号", "国发〔2020〕1号"),
        ("\ufeff京西政发[2024]第03号", "京西政发〔2024〕3号"),
        ("晋政办发(2017〕109号", "晋政办发〔2017〕109号"),
        ("国发〔２０２０〕１号", "国发〔2020〕1号"),
    ],
)
def test_numbers_are_saved_in_their_normal_form(make_policy, written, stored):
    policy = make_policy(doc_number=written, publish=False)
    policy.refresh_from_db()
    assert policy.doc_number == stored


@pytest.mark.parametrize("written", ["国发〔20〕1号", "〔2020〕1号", "见附件"])
def test_unrepairable_numbers_are_refused(make_policy, written):
    with pytest.raises(ValidationError) as info:
        make_policy(doc_number=written, publish=False)
    assert "doc_number" in info.value.message_dict


def test_kind_and_normative_tick_agree(make_policy):
    assert make_policy("甲", document_kind="normative", publish=False).is_normative
    ticked = make_policy("乙", is_normative=True, publish=False)
    assert ticked.document_kind == "normative"
    rule = make_policy("丙", document_kind="rule", is_normative=True, publish=False)
    assert not rule.is_normative
