"""The PostgreSQL base index of posting lists (`gongkai.search.postings`, `pg.rebuild`): keys, binary COPY,
and base + delta − stale on a real database (PostgreSQL only for those)."""

import datetime
import struct

import numpy as np
import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.policies.models import DisclosureAttribute, Policy
from gongkai.search import postings, text
from gongkai.search.service import search_policies
from gongkai.search.text import parse_query

WIDE_ALPHABET = st.sampled_from(list("政务公开补贴适老化第条一，。（） ab12𠀀𠀁𠀂"))

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's base index")


def _keys_of(document: str) -> set:
    canon = text.normalise(document)
    found = postings.batch_postings([7], [canon], [""])
    return {(kind, key) for kind, (keys, *_) in found.items() for key in keys.tolist()}


@settings(max_examples=300, deadline=None)
@given(st.text(WIDE_ALPHABET, min_size=1, max_size=60), st.data())
def test_every_literal_substring_has_all_its_keys_and_exact_plans_are_exact(document, data):
    """For any text and any substring of it, every key the term's plan asks for is among the text's keys (the
    base index can never miss a literal occurrence); when the plan says exact, the keys alone prove it."""
    start = data.draw(st.integers(0, len(document) - 1))
    end = data.draw(st.integers(start + 1, len(document)))
    term_text = document[start:end]
    if any(ch.isspace() for ch in term_text):
        return
    plan = postings.term_plan(text.parse_term(term_text))
    assert set(plan.keys) <= _keys_of(document), (document, term_text)
    other = data.draw(st.text(WIDE_ALPHABET, min_size=0, max_size=30))
    if plan.exact and plan.keys:
        assert (set(plan.keys) <= _keys_of(other)) == (plan.needle in text.normalise(other)), (
            other,
            term_text,
        )


def test_term_plans():
    plan = postings.term_plan(text.parse_term("政务"))
    assert plan.exact and plan.keys == [(postings.BODY + 2, (ord("政") << 21) | ord("务"))]
    assert postings.term_plan(text.parse_term("第十条")).exact
    assert postings.term_plan(text.parse_term("人民政府")).exact
    long = postings.term_plan(text.parse_term("县级以上地方人民政府"))
    assert not long.exact and len(long.keys) == 7 and {k for k, _ in long.keys} == {postings.BODY + 4}
    wide = postings.term_plan(text.parse_term("𠀀𠀁𠀂𠀃"))  # outside the BMP: a hashed 4-gram, checked
    assert not wide.exact and [k for k, _ in wide.keys] == [postings.BODY + 5]
    assert postings.term_plan(text.parse_term("（一）")).keys == []  # symbols: a literal scan
    assert postings.term_plan(text.parse_term("政务"), postings.TITLE).keys[0][0] == postings.TITLE + 2


def test_records_never_share_a_gram_across_their_boundary():
    found = postings.batch_postings([1, 2], ["政务", "公开"], ["", ""])
    keys = set(found[postings.BODY + 2][0].tolist())
    assert postings.term_plan(text.parse_term("务公")).keys[0][1] not in keys


def _copy_tuples(data: bytes):
    """(kind, key, seg, [field bytes...]) of binary COPY tuples."""
    at = 0
    while at < len(data):
        (fields,) = struct.unpack(">h", data[at : at + 2])
        at += 2
        values = []
        for _ in range(fields):
            (size,) = struct.unpack(">i", data[at : at + 4])
            values.append(data[at + 4 : at + 4 + size])
            at += 4 + size
        kind, key, seg = (struct.unpack(f, v)[0] for f, v in zip((">h", ">q", ">i"), values[:3], strict=True))
        yield kind, key, seg, values[3:]


def _parse_copy(data: bytes):
    return [
        (kind, key, seg, postings.decode([(seg, rest[0])])) for kind, key, seg, rest in _copy_tuples(data)
    ]


def test_binary_copy_rows_round_trip(monkeypatch):
    keys = np.array([-5, -5, 3, 9, 9, 9], dtype=np.int64)
    offsets = np.array([1, 65535, 0, 2, 3, 400], dtype=np.uint16)
    monkeypatch.setattr(postings, "SMALL", 2)  # one row of three ids takes the general path
    data = b"".join(postings.copy_chunks(4, 2, keys, offsets, rows_per_chunk=1))
    rows = _parse_copy(data)
    base = 2 << postings.SEGMENT_BITS
    assert sorted((r[0], r[1], r[2], r[3].tolist()) for r in rows) == [
        (4, -5, 2, [base + 1, base + 65535]),
        (4, 3, 2, [base]),
        (4, 9, 2, [base + 2, base + 3, base + 400]),
    ]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(WIDE_ALPHABET, max_size=40), min_size=1, max_size=12))
def test_the_packed_batch_path_equals_the_general_one(documents):
    """`_ranked` (characters numbered per batch, one plain sort) gives the same (kind, key, id) entries as
    the general path (global keys, stable argsort), each once, and each key's ids ascending."""
    canons = [text.normalise(d) for d in documents]
    ids = np.arange(len(canons), dtype=np.int64) * 3 + 1
    codes, local = postings._joined(canons, np.arange(len(canons), dtype=np.int64))
    packed = postings._ranked(codes, local, ids, postings.BODY, postings._record_starts(canons))
    general = {
        kind: postings.dedupe(keys, ids[owners])
        for kind, (keys, owners) in postings.gram_keys(codes, local, postings.BODY).items()
    }
    assert packed is not None and packed.keys() == general.keys()
    for kind, (keys, owners, *_) in packed.items():
        pairs = list(zip(keys.tolist(), owners.tolist(), strict=True))
        assert len(pairs) == len(set(pairs))
        assert sorted(pairs) == sorted(zip(*(a.tolist() for a in general[kind]), strict=True)), kind
        for key in set(keys.tolist()):
            assert list(owners[keys == key]) == sorted(owners[keys == key])


PHRASE_ALPHABET = "政务公"  # three characters: grams repeat, near misses are common


def _parse_positioned_copy(data: bytes):
    """{(kind, key): [(seg, ids bytes, pos bytes)]} of binary COPY rows of five fields."""
    rows = {}
    for kind, key, seg, rest in _copy_tuples(data):
        assert len(rest) == 2
        rows.setdefault((kind, key), []).append((seg, *rest))
    return rows


def _phrase_index(canons: list[str], ids: np.ndarray, split: int, general: bool, monkeypatch) -> dict:
    """The positioned 4-gram rows of records in two batches, merged, written as binary COPY (small chunks)
    and parsed back, as `pg.rebuild` and `pg._fetch` do."""
    if general:
        monkeypatch.setattr(postings, "_ranked", lambda *args: None)
    runs = [
        postings.batch_segment_postings(ids[a:b], canons[a:b], ["" for _ in canons[a:b]])[postings.BODY + 4]
        for a, b in ((0, split), (split, len(canons)))
        if b > a
    ]
    data = b"".join(
        postings.copy_positioned_chunks(postings.BODY + 4, 0, *postings.merge(runs), chunk_bytes=64)
    )
    return {key: postings.decode_positioned(rows) for key, rows in _parse_positioned_copy(data).items()}


def _phrase_records(index: dict, phrase: str):
    plan = postings.term_plan(text.parse_term(phrase))
    assert len(plan.proof) >= 2 and {k for _, (k, _) in plan.proof} == {postings.BODY + 4}
    empty = (np.zeros(0, np.int64), np.zeros(0, np.uint16), np.zeros(0, np.uint16))
    proved, unknown = postings.phrase_match([(offset, *index.get(key, empty)) for offset, key in plan.proof])
    return set(proved.tolist()), set(unknown.tolist())


@settings(max_examples=300, deadline=None)
@given(
    documents=st.lists(st.text(st.sampled_from(PHRASE_ALPHABET + "，"), max_size=40), min_size=1, max_size=8),
    phrase=st.text(st.sampled_from(PHRASE_ALPHABET), min_size=5, max_size=9),
    data=st.data(),
)
def test_phrases_decided_from_positions_equal_pythons_in(documents, phrase, data):
    """The numpy proof (4-grams covering the phrase at start + offset) against Python's `in`, with records in
    two batches of one segment (a gram never spans two records), through merge, COPY and decoding; phrases
    drawn at random or cut from a record (at its start, end or middle), on both batch paths."""
    if data.draw(st.booleans()):
        source = data.draw(st.sampled_from(documents))
        run = max(source.split("，"), key=len)
        if len(run) >= 5:
            start = data.draw(st.integers(0, len(run) - 5))
            phrase = run[start : data.draw(st.integers(start + 5, len(run)))]
    ids = np.arange(len(documents), dtype=np.int64) * 7 + 3
    split = data.draw(st.integers(0, len(documents)))
    with pytest.MonkeyPatch.context() as patch:
        index = _phrase_index(documents, ids, split, data.draw(st.booleans()), patch)
    proved, unknown = _phrase_records(index, phrase)
    assert unknown == set()
    assert proved == {int(i) for i, d in zip(ids, documents, strict=True) if phrase in d}, (documents, phrase)


@pytest.mark.parametrize("general", [False, True])
def test_phrase_proof_cases(general, monkeypatch):
    documents = [
        "政务公开补，务公开补贴",  # every 4-gram of the phrase, never contiguous
        "政务公开补贴",  # the whole record
        "补贴政务公开补贴政务公开补贴",  # twice, overlapping the grams' repeats
        "政务公开补贴" + "开" * 100 + "政务公开补贴",  # at the start and at the end
        "政务公开补助贴补贴",  # a near miss
    ]
    ids = np.arange(len(documents), dtype=np.int64) + 1
    index = _phrase_index(documents, ids, 2, general, monkeypatch)
    assert _phrase_records(index, "政务公开补贴") == ({2, 3, 4}, set())
    assert _phrase_records(index, "公开补贴政务") == ({3}, set())
    assert postings.term_plan(text.parse_term("务公开补贴，")).proof == []  # a symbol: strpos, as before


def test_a_record_too_long_for_positions_is_unknown(monkeypatch):
    """A text longer than 65,535 characters stores count 0 for its grams: reported as unknown (checked with
    strpos by `pg`), never proved nor refused; a short record beside it keeps its positions."""
    tail = "县级以上地方人民政府"
    long_with = "开" * 70_000 + tail
    long_without = "县级以上地方" + "开" * 70_000 + "上地方人民政府"
    documents = [long_with, "短文：" + tail, long_without, "无关"]
    ids = np.array([5, 6, 7, 8], dtype=np.int64)
    for general in (False, True):
        with monkeypatch.context() as patch:
            index = _phrase_index(documents, ids, 1, general, patch)
        assert _phrase_records(index, tail) == ({6}, {5, 7})


def test_intersect_smallest_first():
    a = np.array([1, 3, 5, 7, 9], dtype=np.int64)
    b = np.array([3, 4, 9, 100], dtype=np.int64)
    assert postings.intersect([a, b]).tolist() == [3, 9]
    assert postings.intersect([a, np.zeros(0, dtype=np.int64)]).tolist() == []
    assert postings.intersect([]).tolist() == []


# --- on PostgreSQL ----------------------------------------------------------------------------------------


def _rows(cursor_sql):
    with connection.cursor() as cursor:
        cursor.execute(cursor_sql)
        return cursor.fetchone()[0]


def _found(query):
    fast = search_policies(query)
    sql = search_policies(query, queryset=Policy.objects.public().order_by("pk"))
    assert fast.total == sql.total, query
    return {h.policy.pk for h in fast.hits}


def _bulk(departments, bodies, start_id=None):
    rows = [
        Policy(
            pk=None if start_id is None else start_id + i,
            index_number=f"POST-{start_id}-{i}",
            title=f"批量文件{i}",
            issuer=departments["区政府"],
            body=body,
            live=True,
            disclosure=DisclosureAttribute.PROACTIVE,
            publish_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
        )
        for i, body in enumerate(bodies)
    ]
    return Policy.objects.bulk_create(rows)


@postgresql
def test_base_plus_delta_minus_stale(make_policy, departments):
    from gongkai.policies import actions
    from gongkai.search import pg
    from gongkai.search.text import parse_query

    kept = make_policy("养老服务补贴办法", body="居家适老化改造补贴。县级以上地方人民政府负责。")
    changed = make_policy("消防安全管理办法", body="消防车通道应当保持畅通。")
    deleted = make_policy("档案管理规定", body="档案应当妥善保管，定期鉴定。")
    assert pg.rebuild() == 3
    assert _rows("SELECT count(*) FROM search_pg_grams") == 0  # everything answers from the base now
    assert _rows("SELECT count(*) FROM search_pg_post") > 0
    assert _found("适老化") == {kept.pk}
    assert _found("县级以上地方人民政府") == {kept.pk}
    assert _found("消防车通道") == {changed.pk}
    assert _found("档案") == {deleted.pk}

    # a record changed after the rebuild: found by its new text, not by its old
    changed.body = "无障碍环境建设应当与城市更新同步。"
    changed.save()
    assert _rows("SELECT count(*) FROM search_pg_stale") >= 1
    assert _found("消防车通道") == set()
    assert _found("消防车") == set()
    assert _found("无障碍环境") == {changed.pk}
    assert _found("消防安全") == {changed.pk}  # the title did not change
    # a deleted one is gone (from the match of records in any state, too)
    deleted_pk = deleted.pk
    actions.delete_policy(actions.unpublish_policy(deleted, actor=None, reason="测试"), actor=None)
    assert _found("档案") == set()
    assert deleted_pk not in pg.match(parse_query("档案")).tolist()
    assert pg.match(parse_query("消防车通道")).tolist() == []
    # a bulk insert (no post_save) is caught up before the next search, and an update by QuerySet.update
    created = _bulk(departments, ["批量写入：营商环境优化。", "批量写入：政务公开要点。"])
    assert _found("批量写入") == {p.pk for p in created}
    Policy.objects.filter(pk=kept.pk).update(body="改写以后只谈知识产权。")
    assert _found("适老化") == set()
    assert _found("知识产权") == {kept.pk}
    assert pg.pending_count() == 0
    # the whole-word tier sees base and delta alike
    assert set(pg.word_match(parse_query("知识产权")).tolist()) == {kept.pk}
    # a second rebuild folds the delta back into the base with the same answers
    assert pg.rebuild() == Policy.objects.count()
    assert _rows("SELECT count(*) FROM search_pg_stale") == 0
    assert _found("知识产权") == {kept.pk}
    assert _found("无障碍环境") == {changed.pk}
    assert _found("批量写入") == {p.pk for p in created}
    assert _found("档案") == set()


@postgresql
def test_records_in_several_segments(departments):
    """Ids beyond 65,536 live in other segments of the posting lists."""
    from gongkai.search import pg

    low = _bulk(departments, ["第一段的政务公开。"], start_id=10)
    high = _bulk(departments, ["第二段的政务公开。", "只在第三段。"], start_id=70_000)
    far = _bulk(departments, ["最后一段的政务公开。"], start_id=200_000)
    pg.rebuild()
    assert _rows("SELECT count(DISTINCT seg) FROM search_pg_post") == 3
    assert _found("政务公开") == {low[0].pk, high[0].pk, far[0].pk}
    assert _found("第三段") == {high[1].pk}


@postgresql
def test_hash_collisions_are_confirmed_against_the_text(departments, monkeypatch):
    """Every 4-gram outside the Basic Multilingual Plane gets the same hash here: the strpos check still
    answers exactly."""
    from gongkai.search import pg

    def collide(a, b, c, d):
        return np.zeros(len(a), dtype=np.uint64)

    monkeypatch.setattr(postings, "_hash4", collide)
    one, two = _bulk(departments, ["古字𠀀𠀁𠀂𠀃在此。", "另有𠀄𠀅𠀆𠀇之文。"])
    pg.rebuild()
    assert _found("𠀀𠀁𠀂𠀃") == {one.pk}
    assert _found("𠀄𠀅𠀆𠀇") == {two.pk}
    assert _found("𠀀𠀁") == {one.pk}  # two characters: exact, never hashed


@postgresql
def test_short_and_symbol_queries_and_an_empty_index(departments):
    from gongkai.search import pg

    assert pg.rebuild() == 0
    assert search_policies("政务").total == 0
    assert search_policies("（一）").total == 0
    one, two = _bulk(departments, ["（一）政务公开的范围。", "其他规定。"])
    pg.rebuild()
    assert _found("（一）") == {one.pk}  # no letter/digit run of two: a literal scan
    assert _found("（一） 政务") == {one.pk}
    result = search_policies("政")
    assert result.total == 0 and result.message == "检索词至少需要两个字"
    assert _found("规定") == {two.pk}


@postgresql
def test_a_record_longer_than_several_old_chunks(departments):
    """No chunks in the base index: terms far apart in a long record are found together, before and after
    a rebuild (the delta splits it into chunks)."""
    from gongkai.search import pg

    filler = "。".join(["本条款内容较长"] * 9000)  # ~72,000 characters: four chunks of the delta
    (long,) = _bulk(departments, ["开头讲适老化改造。" + filler + "结尾讲营商环境。"])
    assert _found("适老化 营商环境") == {long.pk}
    pg.rebuild()
    assert _found("适老化 营商环境") == {long.pk}
    assert _found("开头讲适老化改造") == {long.pk}
    assert _found("结尾讲营商环境") == {long.pk}


@postgresql
def test_long_phrases_after_a_rebuild_equal_the_icontains_baseline(departments):
    """Phrases of five characters or more are decided from the stored 4-gram positions (strpos only for a
    record too long for them, or an index built without them): the same records as icontains, in the text
    and in the title, from the base index, the delta, and an index whose positions are missing."""
    import random

    from gongkai.search import pg

    rng = random.Random(12)
    bodies = ["".join(rng.choice("政务公开，") for _ in range(rng.randint(0, 60))) for _ in range(40)]
    bodies += [
        "县级以上地方人民政府负责本行政区域的工作。",
        "县级以上地方，人民政府",  # all of the phrase's grams but one, across a comma
        "地方人民政府和县级以上部门",  # grams present, never contiguous
        "开" * 70_000 + "县级以上地方人民政府",  # too long for positions: checked with strpos
        "县级以上地方" + "开" * 70_000 + "上地方人民政府",
    ]
    created = _bulk(departments, bodies)
    titled = _bulk(departments, ["标题里才有"], start_id=created[-1].pk + 1)[0]
    titled.title = "关于县级以上地方人民政府的通知"
    titled.save()
    pg.rebuild()
    phrases = [
        "县级以上地方人民政府",
        "地方人民政府",
        "政务公开政务",
        "公开政务公开",
        "务公开政务公开",
        "务务务务务",
    ]
    phrases += [b[3:9] for b in bodies[:40] if len(b) >= 9 and "，" not in b[3:9]][:8]

    def baseline(phrase):
        return set(
            Policy.objects.public()
            .filter(Q(body__contains=phrase) | Q(title__contains=phrase))
            .values_list("pk", flat=True)
        )

    for phrase in phrases:
        assert _found(phrase) == baseline(phrase), phrase
        assert pg.match(parse_query(phrase)).tolist() == sorted(baseline(phrase)), phrase
    assert _found("县级以上地方人民政府") == {created[-5].pk, created[-2].pk, titled.pk}
    with CaptureQueriesContext(connection) as queries:
        _, in_titles, _ = pg.search_ids(parse_query("县级以上地方人民政府"))
    assert in_titles.tolist() == [titled.pk]
    assert not [q for q in queries if "search_pg_match" in q["sql"]]  # an empty delta is not queried
    # the delta answers for a record changed since, the base no longer does
    created[-5].body = "已改写"
    created[-5].save()
    assert _found("县级以上地方人民政府") == {created[-2].pk, titled.pk}
    with CaptureQueriesContext(connection) as queries:
        pg.match(parse_query("县级以上地方人民政府"))
    assert [q for q in queries if "search_pg_match" in q["sql"]]
    # an index built before positions were stored: every record of a phrase's grams checked with strpos
    with connection.cursor() as cursor:
        cursor.execute("UPDATE search_pg_post SET pos = NULL")
    for phrase in phrases:
        assert _found(phrase) == baseline(phrase), phrase


def test_merge_delta_job_is_registered_and_reads_its_hours(settings):
    from gongkai.core.jobs import registered_jobs
    from gongkai.search import maintenance

    assert "search.merge_delta" in {job.name for job in registered_jobs()}
    settings.GONGKAI_SEARCH_REBUILD_HOURS = "23-4"
    assert maintenance.rebuild_hours() == (23, 4)
    assert [h for h in range(24) if maintenance.in_window(h, 23, 4)] == [0, 1, 2, 3, 4, 23]
    assert [h for h in range(24) if maintenance.in_window(h, 2, 5)] == [2, 3, 4, 5]
    for bad in ["夜间", "2", "2-25", "-1-3", ""]:
        settings.GONGKAI_SEARCH_REBUILD_HOURS = bad
        with pytest.raises(ValueError, match="GONGKAI_SEARCH_REBUILD_HOURS"):
            maintenance.rebuild_hours()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no delta")
def test_merge_delta_on_sqlite_does_nothing(db):
    from gongkai.search.maintenance import merge_delta

    assert "无需合并" in merge_delta()


@postgresql
def test_merge_delta_rebuilds_only_when_large_and_at_night(make_policy, settings):
    from gongkai.search import pg
    from gongkai.search.maintenance import merge_delta

    make_policy("养老服务补贴办法", body="居家适老化改造补贴。")
    make_policy("消防安全管理办法", body="消防车通道应当保持畅通。")
    assert pg.delta_count() == 2  # written after the last rebuild: answered by the delta
    night = timezone.make_aware(datetime.datetime(2026, 12, 1, 3, 0))
    noon = timezone.make_aware(datetime.datetime(2026, 12, 1, 12, 0))
    settings.GONGKAI_SEARCH_REBUILD_HOURS = "2-5"
    settings.GONGKAI_SEARCH_DELTA_REBUILD = 3
    assert "未达 3 件" in merge_delta(night) and pg.delta_count() == 2
    settings.GONGKAI_SEARCH_DELTA_REBUILD = 2
    assert "待夜间 2–5 时" in merge_delta(noon) and pg.delta_count() == 2
    assert "已并入基础索引" in merge_delta(night)
    assert pg.delta_count() == 0
    assert _found("适老化") and _found("消防车通道")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(-5, 10**12), max_size=60),
    st.lists(st.integers(-5, 10**12), max_size=60),
    st.booleans(),
)
def test_id_set_operations_equal_numpys(a, b, presorted):
    from gongkai.search import idsets

    a, b = np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)
    if presorted:
        a, b = np.unique(a), np.unique(b)
    assert idsets.unique(a).tolist() == np.unique(a).tolist()
    assert idsets.union(a, b).tolist() == np.union1d(a, b).tolist()
    assert idsets.intersect(a, b).tolist() == np.intersect1d(a, b).tolist()
    assert idsets.union(a, idsets.EMPTY).dtype == np.int64
