"""search_policies: recall, ranking, facets, highlights, hostile input, transactional indexing; on SQLite
both the fast path (public search) and the SQL path (a caller's queryset) are exercised."""

import datetime

import pytest
from django.db import connection, transaction

from gongkai.policies import actions
from gongkai.policies.models import Policy
from gongkai.search import index
from gongkai.search.service import baseline_search, highlight, one_line, search_policies

from .test_text import HOSTILE

pytestmark = pytest.mark.django_db


def on(day):
    return {"written_date": day, "publish_date": day}


ALL = Policy.objects.all  # a caller's queryset: takes the SQL path


def ids(result):
    return {h.policy.pk for h in result.hits}


def both_paths(query, **kwargs):
    """The public search through the fast path and through the SQL path must agree."""
    fast = search_policies(query, **kwargs)
    sql = search_policies(query, queryset=Policy.objects.public().order_by("pk"), **kwargs)
    assert [h.policy.pk for h in fast.hits] == [h.policy.pk for h in sql.hits], query
    assert fast.total == sql.total
    assert [(f.field, f.values) for f in fast.facets] == [(f.field, f.values) for f in sql.facets]
    return fast


@pytest.fixture
def library(make_policy):
    return {
        "elderly": make_policy(
            "关于推进适老化改造的实施意见", body="为了推进居家适老化改造工作，制定本意见。"
        ),
        "enterprise": make_policy("惠企政策汇编", body="本区惠企政策包括房租补贴和贷款贴息。"),
        "mention": make_policy(
            "城市更新行动方案",
            body="结合适老化改造，落实各项惠企政策。推进政务服务。",
            **on(datetime.date(2024, 6, 1)),
        ),
        "affairs": make_policy("政务公开工作要点", body="做好政务公开。", department="区政务服务局"),
        "subsidy": make_policy("就业补贴申领办法", body="符合条件的可申领补贴。", policy_type="service"),
    }


def test_two_character_words_and_words_split_differently(library):
    assert ids(both_paths("政务")) == {library["affairs"].pk, library["mention"].pk}
    assert ids(both_paths("补贴")) == {library["enterprise"].pk, library["subsidy"].pk}
    assert ids(both_paths("适老化")) == {library["elderly"].pk, library["mention"].pk}
    assert ids(both_paths("惠企政策")) == {library["enterprise"].pk, library["mention"].pk}


def test_several_terms_are_combined_with_and(library):
    assert ids(both_paths("适老化 惠企政策")) == {library["mention"].pk}
    assert ids(both_paths("适老化 不存在的词")) == set()


def test_ranking_title_then_whole_word_then_recency(library, make_policy):
    older_title = make_policy("补贴资金管理办法", body="资金。", **on(datetime.date(2020, 1, 1)))
    result = both_paths("补贴")
    order = [h.policy.pk for h in result.hits]
    # both title matches first (the newer one first), then the body-only matches
    assert order[:2] == [library["subsidy"].pk, older_title.pk]
    assert set(order[2:]) == {library["enterprise"].pk}
    assert result.hits[0].score > result.hits[-1].score


def test_whole_word_match_ranks_above_incidental(make_policy):
    # "政务" as a word (政务/服务) vs. inside another word: "财政务必" segments as 财政/务必
    incidental = make_policy("通知甲", body="财政务必按时拨付。", **on(datetime.date(2025, 1, 1)))
    word = make_policy("通知乙", body="优化政务服务。", **on(datetime.date(2020, 1, 1)))
    result = both_paths("政务")
    assert [h.policy.pk for h in result.hits] == [word.pk, incidental.pk]


def test_recency_breaks_ties(make_policy):
    old = make_policy("甲", body="养老服务。", **on(datetime.date(2019, 1, 1)))
    new = make_policy("乙", body="养老服务。", **on(datetime.date(2023, 1, 1)))
    assert [h.policy.pk for h in both_paths("养老").hits] == [new.pk, old.pk]


def test_facets_and_filters(library, departments):
    result = both_paths("政策")
    facets = {f.field: f for f in result.facets}
    assert sum(n for _v, _l, n in facets["department"].values) == result.total == 2
    assert {label for _v, label, _n in facets["department"].values} == {"区发展改革委"}
    assert dict((v, n) for v, _l, n in facets["year"].values) == {"2024": 2}
    assert dict((v, n) for v, _l, n in facets["type"].values) == {"action_plan": 2}
    result = both_paths("政务", filters={"department": str(departments["区政务服务局"].pk)})
    assert ids(result) == {library["affairs"].pk}
    result = both_paths("补贴", filters={"type": "service"})
    assert ids(result) == {library["subsidy"].pk}
    assert ids(both_paths("补贴", filters={"year": "2024"})) == {
        library["subsidy"].pk,
        library["enterprise"].pk,
    }
    assert both_paths("补贴", filters={"year": "1999"}).total == 0
    # nonsense filter values: no results, no error
    assert both_paths("补贴", filters={"department": "x"}).total == 0
    assert both_paths("补贴", filters={"validity": "nonsense", "unknown": "1"}).total == 0


def test_empty_query_lists_everything_public_newest_first(library):
    result = both_paths("")
    assert result.total == 5 and not result.message
    assert result.hits[0].policy.pk == library["mention"].pk  # the newest
    assert result.hits[1].policy.pk == library["subsidy"].pk  # same date as the rest, made last: higher id


def test_public_only_by_default(make_policy, departments):
    draft = make_policy("适老化草稿", publish=False)
    hidden = make_policy(
        "适老化内部文件", disclosure="not_disclosed", disclosure_reason="涉及国家秘密", body="适老化"
    )
    assert ids(both_paths("适老化")) == set()
    assert {draft.pk, hidden.pk} <= ids(search_policies("适老化", queryset=ALL()))


def test_highlights_on_original_text(make_policy):
    make_policy(
        "关于推进适老化改造的通知",
        body="第一条　为了推进\n适老化改造，\n制定本通知。<script>alert(1)</script>" + "其他内容。" * 100,
    )
    hit = search_policies("适老化").hits[0]
    assert hit.title_html == "关于推进<mark>适老化</mark>改造的通知"
    assert "推进<mark>适老化</mark>改造，制定本通知" in hit.snippet_html  # lines joined, no stray spaces
    assert "<script>" not in hit.snippet_html and "&lt;script&gt;" in hit.snippet_html
    assert len(hit.snippet_html) < 400


def test_highlight_helpers():
    assert highlight("PDF 文件和pdf", "pdf") == "<mark>PDF</mark> 文件和<mark>pdf</mark>"
    assert highlight("a<b", ["<"]) == "a<mark>&lt;</mark>b"
    assert one_line("政务\n公开") == "政务公开"
    assert one_line("Open\ngovernment") == "Open government"
    assert one_line("第一条 为了") == "第一条 为了"


@pytest.mark.parametrize("raw", HOSTILE + ["", "   ", "法", None])
def test_hostile_input_never_fails(library, raw):
    for result in (search_policies(raw), search_policies(raw, queryset=ALL()), baseline_search(raw)):
        assert result.total >= 0
        assert all(h.policy.pk for h in result.hits)
    if raw and raw.strip() and len(raw.strip()) == 1:
        assert search_policies(raw).message


def test_hostile_queries_find_literal_text(make_policy):
    quoted = make_policy('关于"AND"与NEAR(政务)的说明', body="本文含有 title:政务 和 *号。")
    assert quoted.pk in ids(both_paths('"AND"'))
    assert quoted.pk in ids(both_paths("NEAR(政务)"))
    assert quoted.pk in ids(both_paths("title:政务"))


def test_long_query_is_cut_with_a_message(library):
    result = search_policies("适老化" * 4000)
    assert "过长" in result.message


def test_pages_and_bad_page_numbers(make_policy):
    for i in range(5):
        make_policy(f"养老服务第{i}号", body="养老")
    first = search_policies("养老", per_page=2)
    second = search_policies("养老", per_page=2, page=2)
    assert first.total == 5 and first.pages == 3
    assert not ids(first) & ids(second)
    assert search_policies("养老", page="x", per_page="y").page == 1
    assert search_policies("养老", page=99).hits == []


def _index_has(policy_id, query):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {index.SQLITE_TABLE} WHERE {index.SQLITE_TABLE} MATCH %s AND rowid = %s",
                [
                    '"'
                    + " ".join(__import__("gongkai.search.text", fromlist=["x"]).grams(query).split())
                    + '"',
                    policy_id,
                ],
            )
            return cursor.fetchone()[0] > 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {index.PG_TABLE} WHERE policy_id = %s", [policy_id])
        return cursor.fetchone()[0] > 0


def test_rolled_back_create_leaves_no_index_row(departments):
    with transaction.atomic():
        policy = actions.create_policy(actor=None, title="回滚测试适老化", issuer=departments["区政府"])
        pk = policy.pk
        assert _index_has(pk, "回滚测试")
        transaction.set_rollback(True)
    assert not _index_has(pk, "回滚测试")
    assert search_policies("回滚测试", queryset=ALL()).total == 0


def test_update_and_delete_keep_the_index_in_step(make_policy, departments):
    policy = make_policy("旧标题文件", body="旧的正文内容", publish=False)
    actions.update_policy(policy, actor=None, title="新标题文件", body="全新的正文内容")
    assert search_policies("旧标题", queryset=ALL()).total == 0
    assert search_policies("全新的", queryset=ALL()).total == 1
    # a published record: the public index follows the published text
    published = make_policy("已发布的养老文件", body="养老")
    actions.update_policy(published, actor=None, body="草稿里的新内容")
    assert search_policies("草稿里的新内容").total == 0  # draft revision not public
    actions.publish_policy(Policy.objects.get(pk=published.pk), actor=None)
    assert search_policies("草稿里的新内容").total == 1
    pk = policy.pk
    Policy.objects.filter(pk=pk).delete()
    assert not _index_has(pk, "全新的")


def test_reindex_rebuilds_the_same_index(library):
    before = [ids(both_paths(q)) for q in ("政务", "适老化", "补贴")]
    assert index.rebuild() == Policy.objects.count()
    assert [ids(both_paths(q)) for q in ("政务", "适老化", "补贴")] == before


def test_wagtail_backend_search_and_autocomplete(library):
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    found = list(backend.search("适老化", Policy.objects.all()))
    assert {p.pk for p in found} == {library["elderly"].pk, library["mention"].pk}
    assert found[0].pk == library["elderly"].pk  # title match first
    assert {p.pk for p in backend.autocomplete("惠企", Policy)} == {
        library["enterprise"].pk,
        library["mention"].pk,
    }
    results = backend.search("政务", Policy.objects.all())
    assert results.count() == 2 and len(results[:1]) == 1
    assert backend.search('"NEAR(', Policy).count() == 0
    assert sum(backend.search("补贴", Policy).facet("policy_type").values()) == 2


def test_admin_listing_search_finds_chinese(library, admin_user, client):
    client.force_login(admin_user)
    response = client.get("/admin/snippets/policies/policy/", {"q": "适老化"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "关于推进适老化改造的实施意见" in content
    assert "惠企政策汇编" not in content


def test_search_command_json_and_text(library):
    import io
    import json

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("search", "适老化", "--json", "--limit", "5", stdout=out)
    answer = json.loads(out.getvalue())
    assert (answer["total"], answer["page"], answer["pages"]) == (2, 1, 1)
    rows = answer["results"]
    assert "适老化" in out.getvalue()  # ensure_ascii=False
    assert [r["id"] for r in rows] == [library["elderly"].pk, library["mention"].pk]
    assert set(rows[0]) == {"id", "title", "doc_number", "department", "published", "validity", "snippet"}
    assert rows[0]["published"] == "2024-03-05" and rows[0]["validity"] == "有效"
    assert "<mark>" not in rows[0]["snippet"] and "适老化" in rows[0]["snippet"]
    out, err = io.StringIO(), io.StringIO()
    call_command("search", "法", stdout=out, stderr=err)
    assert "共 0 件" in out.getvalue() and "两个字" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("search", "政务", "--limit", "0")
    with pytest.raises(CommandError):
        call_command("search", "政务", "--page", "0")


def test_search_command_pages_with_any_limit(make_policy):
    import io
    import json

    from django.core.management import call_command

    made = [
        make_policy(f"分页检索测试文件第{i}号", body="分页检索的正文。", **on(datetime.date(2020, 1, 1 + i)))
        for i in range(5)
    ]
    newest_first = [p.pk for p in reversed(made)]
    seen = []
    for page in (1, 2, 3):
        out = io.StringIO()
        call_command(
            "search", "分页检索", "--json", "--limit", "2", "--page", str(page), "--sort", "date", stdout=out
        )
        answer = json.loads(out.getvalue())
        assert answer["total"] == 5 and answer["pages"] == 3 and answer["page"] == page
        seen += [r["id"] for r in answer["results"]]
    assert seen == newest_first  # every record once, in order, across pages
    out = io.StringIO()
    call_command("search", "分页检索", "--limit", "250", stdout=out)  # no cap at 100 any more
    assert "共 5 件，第 1 / 1 页，第 1–5 件" in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    call_command("search", "分页检索", "--limit", "2", "--page", "9", stdout=out, stderr=err)
    assert "没有第 9 页（共 3 页）" in err.getvalue() and "本页没有结果" in out.getvalue()


@pytest.fixture
def dated(make_policy):
    return {
        "old": make_policy(
            "区财政补贴资金管理办法",
            body="补贴资金的管理。",
            doc_number="区府发〔2019〕12号",
            **on(datetime.date(2019, 5, 1)),
        ),
        "mid": make_policy(
            "关于发放稳岗补贴的通知",
            body="稳岗补贴。",
            doc_number="区府发〔2019〕5号",
            **on(datetime.date(2021, 7, 1)),
        ),
        "new": make_policy(
            "创业扶持办法",
            body="符合条件的给予一次性补贴。",
            doc_number="区人社发[2023]3号",
            **on(datetime.date(2023, 9, 1)),
        ),
    }


def test_sort_date_range_title_only_and_doc_number(dated):
    from gongkai.search.service import SearchOptions

    def pks(**options):
        return [h.policy.pk for h in both_paths("补贴", options=SearchOptions(**options)).hits]

    old, mid, new = dated["old"].pk, dated["mid"].pk, dated["new"].pk
    assert pks() == [mid, old, new]  # relevance: title matches first, newest first within
    assert pks(sort="date") == [new, mid, old]
    assert pks(sort="date_asc") == [old, mid, new]
    # by organ prefix (区人社发 before 区府发 in code-point order), then year and number: 〔2019〕5号 before 12号
    assert pks(sort="doc_number") == [new, mid, old]
    assert pks(date_from=datetime.date(2020, 1, 1)) == [mid, new]
    assert pks(date_to=datetime.date(2021, 7, 1)) == [mid, old]  # inclusive
    assert pks(date_from=datetime.date(2021, 7, 1), date_to=datetime.date(2021, 7, 1)) == [mid]
    assert pks(title_only=True) == [mid, old]  # 创业扶持办法 has 补贴 only in its body
    assert pks(doc_number="〔2019〕5") == [mid]
    assert pks(doc_number="区人社发〔2023〕3号") == [new]  # brackets typed differently still match
    assert pks(doc_number="100%_") == []  # LIKE wildcards typed by the user are literal
    assert pks(sort="nonsense") == [mid, old, new]
    # without a query: the whole library, filtered and ordered the same way
    assert [h.policy.pk for h in both_paths("", options=SearchOptions(doc_number="区府发")).hits] == [
        mid,
        old,
    ]
    found = both_paths("", options=SearchOptions(sort="doc_number", date_from=datetime.date(2019, 1, 1)))
    assert [h.policy.pk for h in found.hits] == [new, mid, old]


def test_doc_number_key_orders_series_numerically():
    from gongkai.search.service import doc_number_key

    numbers = ["区府发〔2020〕1号", "", "区府发〔2019〕12号", "区府发[2019]5号", "其他"]
    assert sorted(numbers, key=doc_number_key) == [
        "其他",
        "区府发[2019]5号",
        "区府发〔2019〕12号",
        "区府发〔2020〕1号",
        "",
    ]


def test_reindex_command(library):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("reindex", "--no-progress", stdout=out)
    assert "政策文件索引已重建：5 件，用时 " in out.getvalue() and " 件/秒" in out.getvalue()
    assert ids(both_paths("适老化")) == {library["elderly"].pk, library["mention"].pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index build")
def test_reindex_reports_the_index_build_stage(library):
    """The build of the posting table's primary key (the step without per-record progress) shows as a
    stage, refreshed by a watcher thread on a connection of its own, which ends with the build."""
    import threading

    from gongkai.search import pg

    stages = []
    assert pg.rebuild(stage=stages.append) == Policy.objects.count()
    assert stages[0] == "正在建立倒排表索引 1/1"
    assert ids(both_paths("适老化")) == {library["elderly"].pk, library["mention"].pk}
    stages.clear()
    with pg._IndexProgress(stages.append, 2, interval=0.02) as watch:
        watch.index = 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.5)")
    assert stages[0] == "正在建立倒排表索引 1/2"
    assert "正在建立倒排表索引 2/2" in stages[1:]  # the watcher's refreshes
    assert not [t for t in threading.enumerate() if t.name == "gin-progress"]


def test_bulk_insert_and_queryset_update_are_found(departments):
    """Paths that bypass post_save (bulk_create, QuerySet.update): SQLite's triggers index them; on PostgreSQL
    statement triggers put them in the pending list, which the next search indexes before answering."""
    from gongkai.policies.models import DisclosureAttribute

    rows = [
        Policy(
            index_number=f"BULK-{i}",
            title=f"批量导入的文件{i}",
            issuer=departments["区政府"],
            body="批量写入的正文：居家适老化改造。",
            live=True,
            disclosure=DisclosureAttribute.PROACTIVE,
            publish_date=datetime.date(2024, 1, i + 1),
        )
        for i in range(3)
    ]
    created = Policy.objects.bulk_create(rows)
    assert search_policies("批量写入").total == 3
    assert search_policies("批量写入", queryset=ALL()).total == 3
    Policy.objects.filter(pk=created[0].pk).update(body="改写后的正文：无障碍环境建设。")
    assert search_policies("批量写入").total == 2
    assert [h.policy.pk for h in search_policies("无障碍环境建设").hits] == [created[0].pk]
    if connection.vendor == "postgresql":
        from gongkai.search import pg

        assert pg.pending_count() == 0


def test_at_equal_relevance_documents_in_force_come_first(make_policy):
    from gongkai.policies import actions

    valid = make_policy("养老服务补贴办法", body="补贴。", **on(datetime.date(2021, 1, 1)))
    repealed = make_policy("养老服务补贴暂行办法", body="补贴。", **on(datetime.date(2023, 1, 1)))
    actions.declare_validity(repealed, "repealed", actor=None, reason="已被替代")
    body_only = make_policy("其他办法", body="涉及补贴。", **on(datetime.date(2024, 1, 1)))
    found = both_paths("补贴")
    # both titles match (same tier): the one in force first although older; a body-only match stays below
    assert [h.policy.pk for h in found.hits] == [valid.pk, repealed.pk, body_only.pk]
    # without a query the list stays newest first, whatever the validity
    assert [h.policy.pk for h in both_paths("").hits] == [body_only.pk, repealed.pk, valid.pk]
