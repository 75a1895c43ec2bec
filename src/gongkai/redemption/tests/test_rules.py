"""The rules as data: the GB/T 4754 table generated from its source, the national size standard, the reading of
clauses into suggestions, and the three-valued logic (property-based)."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.redemption import industry, size_standard
from gongkai.redemption.engine import compile_tree, evaluate

# --- GB/T 4754-2017 ------------------------------------------------------------------------------------------


def test_shipped_table_is_the_one_generated_from_the_source():
    assert industry.table_text() == industry.TABLE_FILE.read_text(encoding="utf-8")
    rows = industry.load_table()
    assert len([r for r in rows if r["level"] == "section"]) == 20
    assert len([r for r in rows if r["level"] == "division"]) == 97
    notes = {r["code"]: r["note"] for r in rows if r["level"] == "section"}
    assert notes["A"] == "本门类包括01～05大类"
    assert notes["F"] == "本门类包括51和52大类"
    assert notes["K"] == "本门类包括70大类"
    assert industry.name_of("65") == "软件和信息技术服务业"
    assert industry.label_of("6513") == "I6513 软件和信息技术服务业"


def test_full_four_level_table_is_accepted():
    text = "A\t农、林、牧、渔业\n01\t农业\n011\t谷物种植\n0111\t稻谷种植\n" + "".join(
        f"{code}\t名称\n" for code in []
    )
    rows = industry.build_table(io.StringIO(text))
    assert [(r["code"], r["level"]) for r in rows] == [("A", "section"), ("01", "division")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("B\t采矿业\n06\t煤炭\n", "门类应为 A"),
        ("A\t农业\n02\t林业\n", "大类应为 01"),
        ("01\t农业\n", "之前没有门类"),
        ("A\t农业\n", "下没有大类"),
        ("A\t农业\nxx 乱码\n", "无法识别"),
    ],
)
def test_broken_source_is_refused(text, message):
    with pytest.raises(industry.TableError) as err:
        industry.build_table(io.StringIO(text))
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("code", "chain"),
    [
        ("6513", ("6513", "651", "65", "I")),
        ("I65", ("65", "I")),
        ("c", ("C",)),
        ("9999", ()),
        ("", ()),
        (None, ()),
    ],
)
def test_ancestors(code, chain):
    assert industry.ancestors(code) == chain


# --- the size standard ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kwargs", "size"),
    [
        # 工业: X ≥ 1000 and Y ≥ 40000 is large; one below falls a class
        ("39", {"employees": 1000, "revenue": 40000}, "large"),
        ("39", {"employees": 1000, "revenue": 39999}, "medium"),
        ("39", {"employees": 300, "revenue": 2000}, "medium"),
        ("39", {"employees": 299, "revenue": 50000}, "small"),
        ("39", {"employees": 20, "revenue": 300}, "small"),
        ("39", {"employees": 19}, "micro"),  # one indicator below the small bound decides
        ("39", {"employees": 500}, None),
        # 软件和信息技术服务业
        ("65", {"employees": 100, "revenue": 1000}, "medium"),
        ("6513", {"employees": 10, "revenue": 50}, "small"),
        ("65", {"employees": 9, "revenue": 5000}, "micro"),
        # 批发 / 零售 / 住宿 / 餐饮
        ("51", {"employees": 200, "revenue": 40000}, "large"),
        ("52", {"employees": 50, "revenue": 500}, "medium"),
        ("61", {"employees": 100, "revenue": 2000}, "medium"),
        ("62", {"employees": 9, "revenue": 50000}, "micro"),
        # 建筑业: 营业收入 and 资产总额
        ("47", {"revenue": 6000, "assets": 5000}, "medium"),
        # 租赁和商务服务业: 从业人员 and 资产总额
        ("72", {"employees": 300, "assets": 120000}, "large"),
        ("72", {"employees": 300, "assets": 100}, "small"),
        # 房地产: only by 中类
        ("701", {"revenue": 1000, "assets": 5000}, "medium"),
        ("702", {"employees": 100, "revenue": 500}, "small"),
        ("703", {"employees": 300}, "large"),
        ("70", {"employees": 300}, None),
        ("704", {"employees": 300}, None),
        # 仓储 vs 装卸搬运 (交通运输业)
        ("5920", {"employees": 100, "revenue": 1000}, "medium"),
        ("5910", {"employees": 100, "revenue": 1000}, "small"),
        # 信息传输业, 邮政业, 农林牧渔, 其他未列明
        ("64", {"employees": 2000, "revenue": 100000}, "large"),
        ("60", {"employees": 300, "revenue": 2000}, "medium"),
        ("01", {"revenue": 500}, "medium"),
        ("73", {"employees": 100}, "medium"),
        ("85", {"employees": 9}, "micro"),
        # not covered
        ("66", {"employees": 5}, None),
        ("53", {"employees": 5}, None),
        ("83", {"employees": 5}, None),
        ("C", {"employees": 5}, None),
    ],
)
def test_size_standard(code, kwargs, size):
    result = size_standard.classify(code, **kwargs)
    assert result.size == size, result.reason
    assert result.reason


def test_size_reasons_say_why():
    assert "金融业企业划型标准规定" in size_standard.classify("66", employees=5).reason
    assert "缺少营业收入" in size_standard.classify("65", employees=150).reason
    assert "国统字〔2017〕213号" in size_standard.classify("65", employees=150, revenue=5000).reason


# --- suggestions ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("上一年度营业收入不低于1000万元。", ("revenue", "gte", 1000.0)),
        ("年营业收入在1亿元以上的企业", ("revenue", "gte", 10000.0)),
        ("营业收入超过5000万元", ("revenue", "gt", 5000.0)),
        ("营业收入不超过2000万元的小微企业", ("revenue", "lte", 2000.0)),
        ("从业人员50人以上", ("employees", "gte", 50.0)),
        ("职工人数不少于二十人", ("employees", "gte", 20.0)),
        ("研发费用占营业收入比例不低于5%", ("rd_ratio", "gte", 5.0)),
        ("成立满3年", ("years_established", "gte", 3.0)),
        ("成立不满两年的初创企业", ("years_established", "lt", 2.0)),
        ("2023年1月1日以后在本区新设立的企业", ("founded_on", "on_or_after", "2023-01-01")),
        ("申请单位应在本区注册纳税", ("in_district", "is_true", None)),
        ("无严重违法失信行为", ("good_credit", "is_true", None)),
        ("支持中小微企业", ("size", "lte", "medium")),
        ("对小微企业给予补贴", ("size", "lte", "small")),
        ("注册地在金融街街道的企业", ("area", "in", ["XCJD06"])),
        ("个体工商户可以申请", ("entity_type", "in", ["person"])),
    ],
)
def test_sentences_read_as_suggestions(tag_library, sentence, expected):
    from gongkai.redemption.suggestions import suggest_from_sentence
    from gongkai.redemption.tags import tag_index

    found = [(s.fact, s.op, s.value) for s in suggest_from_sentence(sentence, tag_index())]
    assert expected in found, found


@pytest.mark.django_db
def test_qualifications_and_industries_from_the_library(tag_library):
    from gongkai.redemption.suggestions import suggest_from_sentence
    from gongkai.redemption.tags import tag_index

    found = {
        s.fact: s.value
        for s in suggest_from_sentence(
            "对首次认定为国家级专精特新“小巨人”企业、高新技术企业的软件和信息技术服务业企业", tag_index()
        )
    }
    assert set(found["qualifications"]) == {"little_giant", "hnte"}  # not also 专精特新中小企业
    assert found["industry"] == ["65"]


def test_prose_without_conditions_gives_nothing():
    from gongkai.redemption.suggestions import suggest_from_sentence

    class NoTags:
        values: dict = {}
        lookup: dict = {}

    assert suggest_from_sentence("为促进本区经济高质量发展，制定本措施。", NoTags()) == []


def test_clauses_carry_their_article_and_item_labels():
    from gongkai.redemption.suggestions import policy_clauses

    clauses = policy_clauses(
        "第三条 申请单位应符合下列条件：\n（一）在本区注册纳税；\n（二）上一年度营业收入不低于1000万元。"
    )
    assert [(c.article, c.text) for c in clauses] == [
        ("第三条", "申请单位应符合下列条件："),
        ("第三条（一）", "在本区注册纳税；"),
        ("第三条（二）", "上一年度营业收入不低于1000万元"),  # the parser reads a short last item as its title
    ]


# --- three-valued logic, property-based -----------------------------------------------------------------------------

FACT_NAMES = ["revenue", "employees", "assets"]
leaf = st.builds(
    lambda fact, op, value: {"kind": "fact", "fact": fact, "op": op, "value": value},
    st.sampled_from(FACT_NAMES),
    st.sampled_from(["gte", "lte", "gt", "lt"]),
    st.integers(0, 100),
)
tree = st.recursive(
    leaf,
    lambda children: st.builds(
        lambda kind, kids: {"kind": kind, "children": kids},
        st.sampled_from(["all", "any"]),
        st.lists(children, min_size=1, max_size=4),
    ),
    max_leaves=8,
)
facts = st.fixed_dictionaries({}, optional={name: st.integers(0, 100).map(float) for name in FACT_NAMES})


def flatten(node, parent=None, rows=None, counter=None):
    rows = [] if rows is None else rows
    counter = counter or [0]
    counter[0] += 1
    row = {
        "id": counter[0],
        "parent_id": parent,
        "kind": node["kind"],
        "fact": node.get("fact", ""),
        "op": node.get("op", ""),
        "value": node.get("value"),
    }
    rows.append(row)
    for child in node.get("children", []):
        flatten(child, row["id"], rows, counter)
    return rows


def run(rows, given):
    root, leaves = compile_tree(rows, tags=None)
    met = [None] * len(leaves)
    return evaluate(root, given, met), met


@settings(max_examples=300, deadline=None)
@given(tree, facts, st.integers(0, 100))
def test_filling_in_a_missing_fact_never_reverses_a_decided_result(node, given_facts, extra):
    rows = flatten(node)
    result, met = run(rows, given_facts)
    for name in FACT_NAMES:
        if name not in given_facts:
            more, _ = run(rows, {**given_facts, name: float(extra)})
            if result is not None:
                assert more == result
    if len(given_facts) == len(FACT_NAMES):
        assert result is not None and None not in met


@settings(max_examples=200, deadline=None)
@given(tree, facts)
def test_a_group_agrees_with_its_leaves(node, given_facts):
    rows = flatten(node)
    root, leaves = compile_tree(rows, tags=None)
    met = [None] * len(leaves)
    result = evaluate(root, given_facts, met)
    if all(m is True for m in met):
        assert result is True
    if all(m is False for m in met):
        assert result is False
