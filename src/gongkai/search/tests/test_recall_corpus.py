"""Literal recall on the law corpus: a sample of the corpus is imported once for the module (through
`gongkai.policies.importing`, i.e. the actions), then for each query every imported record whose text
contains the query is checked to be returned — exhaustively, not sampled."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from gongkai.policies.models import Policy
from gongkai.search.service import search_policies

CORPUS = Path(settings.SHARED_DIR) / "corpus" / "laws"
SAMPLE_EVERY = 8  # about 110 of the ~900 files: every law folder is represented

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.django_db,  # so that the test database is created; the module fixture holds the data
    pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present (set GONGKAI_SHARED_DIR)"),
    pytest.mark.xdist_group(
        "search-recall-corpus"
    ),  # one worker imports the sample once, not once per worker
]

QUERIES = [
    # two characters
    "政务",
    "补贴",
    "公开",
    "许可",
    "罚款",
    "申请",
    "税收",
    "档案",
    "安全",
    "数据",
    # words that segment differently in sentences
    "适老化",
    "惠企政策",
    "信息公开",
    "人民政府",
    "行政处罚",
    "营商环境",
    "法律责任",
    "知识产权",
    "监督管理",
    "社会保险",
    "个人信息",
    "生态环境",
    "国务院",
    "县级以上",
    # phrases, digits and mixed text, punctuation inside a term
    "依法给予处分",
    "本条例自公布之日起施行",
    "第十条",
    "第一条",
    "2019",
    "30日",
    "公民、法人",
    "（一）",
    "〔2019〕",
    "二〇",
]
assert len(QUERIES) >= 30


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    from gongkai.core.departments import clear_department_cache, resolve_department
    from gongkai.core.seed_departments import seed_departments
    from gongkai.policies.importing import find_files, import_files
    from gongkai.policies.themes import seed_themes

    with django_db_blocker.unblock():
        with transaction.atomic():
            seed_departments()
            seed_themes()
            clear_department_cache()
            files = find_files(CORPUS)[::SAMPLE_EVERY]
            report = import_files(files, department=resolve_department("区政府"), root=CORPUS)
            assert not report.failed, report.failed
            texts = {
                p.pk: "\n".join([p.title, p.doc_number, p.summary, p.body]) for p in Policy.objects.public()
            }
            yield texts
            transaction.set_rollback(True)
        clear_department_cache()


def all_hits(query, **kwargs):
    found, page = [], 1
    while True:
        result = search_policies(query, page=page, per_page=100, **kwargs)
        found += [h.policy.pk for h in result.hits]
        if page >= result.pages:
            return result, found
        page += 1


def _recall_problems(query, texts) -> list[str]:
    """What is wrong with the answers to `query` (nothing: an empty list)."""
    problems = []
    expected = {pk for pk, text in texts.items() if query.lower() in text.lower()}
    for kwargs in ({}, {"queryset": Policy.objects.public().order_by("pk")}):  # fast path, SQL path
        path = "SQL" if kwargs else "fast"
        result, found = all_hits(query, **kwargs)
        if result.message and expected:
            problems.append(f"{query} ({path}): message {result.message!r}")
        if not expected <= set(found):
            problems.append(f"{query} ({path}): missing {sorted(expected - set(found))[:5]}")
        if not result.total == len(found) == len(set(found)):
            problems.append(
                f"{query} ({path}): total {result.total}, {len(found)} hits, {len(set(found))} distinct"
            )
        if len(query) == 2 and query.isalnum() and set(found) != expected:
            # one bigram: the index answer is exact
            problems.append(f"{query} ({path}): not exact, extra {sorted(set(found) - expected)[:5]}")
    return problems


@pytest.fixture(scope="module")
def rebuilt(corpus, django_db_blocker):
    """The same records after `gongkai reindex` (inside the module's transaction, rolled back with it): on
    PostgreSQL every record moves from the delta (GIN) into the base index of posting lists."""
    from django.db import connection

    from gongkai.search import index

    with django_db_blocker.unblock():
        assert index.rebuild() == Policy.objects.count()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT (SELECT count(*) FROM search_pg_grams), (SELECT count(*) FROM search_pg_post)"
                )
                delta, base = cursor.fetchone()
            assert delta == 0 and base > 0
    return corpus


def test_every_record_containing_the_query_is_found(corpus, request):
    """Every query, both search paths, on the imported records and again after a rebuild of the index (`rebuilt`).
    One test for all of it (it was one test per query and state, and the sample size a test of its own):
    pytest-xdist spread them over the workers and each worker imported the corpus sample (12–29 s); every query
    is still checked in both states and every failing one reported, with the state, the query and the path."""
    # The sample is large enough and the queries do find something: the test could fail.
    assert len(corpus) >= 100
    assert sum(1 for q in QUERIES if any(q in text for text in corpus.values())) >= 25
    problems = [problem for query in QUERIES for problem in _recall_problems(query, corpus)]
    rebuilt = request.getfixturevalue("rebuilt")  # the index rebuilt: the records move to the base index
    problems += [f"after a rebuild: {p}" for query in QUERIES for p in _recall_problems(query, rebuilt)]
    assert not problems, "\n".join(problems)
