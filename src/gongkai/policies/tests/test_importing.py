"""`gongkai import-corpus`: text files in, published policies out, through the actions; idempotent; broken
files reported and skipped."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from gongkai.core.models import AuditEntry
from gongkai.policies.importing import date_from_name, find_files, import_files, parse_file
from gongkai.policies.models import Policy
from gongkai.search.service import search_policies

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(tmp_path):
    laws = tmp_path / "北京地方法规" / "地方性法规" / "北京"
    laws.mkdir(parents=True)
    (laws / "北京市适老化促进条例(2022-11-25).md").write_text(
        "# 北京市适老化促进条例\n\n2022年11月25日通过\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了推进适老化改造，制定本条例。\n",
        encoding="utf-8",
    )
    (tmp_path / "惠企政策.txt").write_text("关于惠企政策的通知\n各部门：\n落实惠企政策。\n", encoding="gbk")
    (tmp_path / "说明.MD").write_text("没有标题的文件正文，第二行。\n" * 3, encoding="utf-8-sig")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "空.md").write_text("   \n\n", encoding="utf-8")
    (tmp_path / "二进制.txt").write_bytes(b"\x00\x01\x02abc" * 100)
    return tmp_path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_corpus", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_parse_file_title_body_and_date(tree):
    parsed = parse_file(next(tree.rglob("北京市适老化促进条例*")))
    assert parsed.title == "北京市适老化促进条例"
    assert parsed.body.startswith("2022年11月25日通过\n第一章 总则\n第一条")
    assert "<!--" not in parsed.body
    assert parsed.written_date == datetime.date(2022, 11, 25)
    gbk = parse_file(tree / "惠企政策.txt")
    assert gbk.title == "关于惠企政策的通知"  # no heading: the first line
    assert gbk.body.startswith("各部门：")


def test_date_from_name():
    assert date_from_name("专利法实施细则(2010-01-09).md") == datetime.date(2010, 1, 9)
    assert date_from_name("条例（2019-4-3）.md") == datetime.date(2019, 4, 3)
    assert date_from_name("条例(2019-02-30).md") is None
    assert date_from_name("条例.md") is None


def test_import_publishes_through_the_actions_and_is_idempotent(tree, departments):
    out, err = run(str(tree), "--department", "区政府")
    assert "新建 3 件，更正 0 件，重复跳过 0 件，失败 2 件" in out
    assert "空.md：空文件" in err and "二进制.txt：不是文本文件" in err
    assert Policy.objects.count() == 3
    assert {p.source_path.lower().rsplit(".", 1)[1] for p in Policy.objects.all()} == {"md", "txt"}
    regulation = Policy.objects.get(title="北京市适老化促进条例")
    # the folder names the issuer: the municipal people's congress, an external organisation
    assert regulation.is_public and regulation.issuer.name == "北京市人民代表大会常务委员会"
    assert regulation.issuer.is_external and regulation.document_kind == "local_regulation"
    assert regulation.publish_date == regulation.written_date == datetime.date(2022, 11, 25)
    assert (
        regulation.index_number
        and regulation.source_path == "北京地方法规/地方性法规/北京/北京市适老化促进条例(2022-11-25).md"
    )
    assert Policy.objects.get(title="关于惠企政策的通知").issuer == departments["区政府"]  # the fallback
    actions = set(AuditEntry.objects.filter(object_id=str(regulation.pk)).values_list("action", flat=True))
    assert actions == {"policy.create", "policy.publish"}
    # searchable at once
    assert [h.policy.pk for h in search_policies("适老化").hits] == [regulation.pk]
    # the same content again: nothing new
    out, _err = run(str(tree), "--department", "区政府")
    assert "新建 0 件，更正 0 件，重复跳过 3 件" in out
    assert Policy.objects.count() == 3


def test_department_option(tree, departments):
    out, _ = run(str(tree / "惠企政策.txt"), "--department", "区发改委")
    assert "新建 1 件" in out
    assert Policy.objects.get().issuer == departments["区发展改革委"]
    with pytest.raises(CommandError, match="未知的发文机构"):
        run(str(tree), "--department", "不存在的部门")
    with pytest.raises(CommandError, match="找不到文件夹"):
        run(str(tree / "nope"))


def test_a_failing_file_does_not_stop_the_batch(tree, departments, monkeypatch):
    from gongkai.policies import actions

    real = actions.publish_policy

    def flaky(policy, *, actor):
        if "惠企" in policy.title:
            raise RuntimeError("模拟故障")
        return real(policy, actor=actor)

    monkeypatch.setattr(actions, "publish_policy", flaky)
    report = import_files(find_files(tree), department=departments["区政府"], root=tree)
    assert len(report.created) == 2
    assert any("模拟故障" in reason for _label, reason in report.failed)
    # nothing half-written: no draft left behind for the failed file
    assert not Policy.objects.filter(title__contains="惠企").exists()


def test_huge_and_hostile_files(tmp_path, departments):
    (tmp_path / "长标题.md").write_text("# " + "很长的标题" * 200 + "\n正文", encoding="utf-8")
    (tmp_path / "控制字符.txt").write_text("标题\x07\x1b\n正文\x0b内容", encoding="utf-8")
    (tmp_path / "坏编码.txt").write_bytes("标题\n正文".encode() + b"\xff\xfe\xfd")
    report = import_files(find_files(tmp_path), department=departments["区政府"], root=tmp_path)
    assert not report.failed, report.failed
    assert all(len(p.title) <= 300 for p in Policy.objects.all())
    assert Policy.objects.count() == 3


def test_empty_folder(tmp_path, departments):
    out, _ = run(str(tmp_path))
    assert "没有 .md 或 .txt 文件" in out


# --- issue 13: issuer, kind and dates from the document; re-import corrects --------------------------------------

REGULATION = (
    "# 中华人民共和国某某管理条例\n\n2001年12月10日 中华人民共和国国务院令第331号公布\n\n"
    "2019年3月2日 《国务院关于修改部分行政法规的决定》修订\n\n2002年1月1日 施行\n\n<!-- INFO END -->\n\n"
    "## 第一章 总则\n\n第一条 为了规范管理，制定本条例。\n"
)
MINISTRY_RULE = "# 某某登记规定\n\n2021年12月17日 公安部令第164号公布\n\n<!-- INFO END -->\n\n第一条 为了规范登记，制定本规定。\n"
NO_HEADER = "# 某某暂行条例\n\n<!-- INFO END -->\n\n第一条 为了规范，制定本条例。\n"


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "行政法规").mkdir()
    (tmp_path / "行政法规" / "某某管理条例(2019-03-02).md").write_text(REGULATION, encoding="utf-8")
    (tmp_path / "行政法规" / "某某暂行条例(2024-05-21).md").write_text(NO_HEADER, encoding="utf-8")
    (tmp_path / "部门规章" / "公安部").mkdir(parents=True)
    (tmp_path / "部门规章" / "公安部" / "某某登记规定(2021-12-17).md").write_text(
        MINISTRY_RULE, encoding="utf-8"
    )
    (tmp_path / "无处可依.md").write_text("# 某某说明\n\n正文。\n", encoding="utf-8")
    return tmp_path


def test_issuer_kind_and_dates_come_from_the_documents(corpus, departments):
    out, err = run(str(corpus))
    assert "新建 3 件" in out and "失败 1 件" in out
    assert "无处可依.md：无法确定发文机关" in err
    regulation = Policy.objects.get(title="中华人民共和国某某管理条例")
    assert regulation.issuer.name == "中华人民共和国国务院" and regulation.issuer.short_name == "国务院"
    assert regulation.issuer.is_external and regulation.issuer.parent is None
    assert regulation.document_kind == "administrative_regulation" and regulation.policy_type == ""
    assert regulation.written_date == datetime.date(2001, 12, 10)  # promulgated
    assert regulation.publish_date == datetime.date(2019, 3, 2)  # this version (the file name)
    assert regulation.effective_date == datetime.date(2002, 1, 1)
    assert regulation.index_number.startswith("WGWY-2001-")
    rule = Policy.objects.get(title="某某登记规定")
    assert rule.issuer.name == "中华人民共和国公安部" and rule.document_kind == "rule"
    interim = Policy.objects.get(title="某某暂行条例")  # no header: the folder says 国务院, 行政法规
    assert interim.issuer == regulation.issuer and interim.document_kind == "administrative_regulation"
    assert interim.written_date == interim.publish_date == datetime.date(2024, 5, 21)
    # nobody is published "today" and nothing is issued by the district
    assert not Policy.objects.filter(issuer=departments["区政府"]).exists()
    # external organisations are recorded once, audited, and never resolve as district names
    from gongkai.core.departments import resolve_department
    from gongkai.core.models import Department

    assert Department.objects.external().count() == 2
    assert AuditEntry.objects.filter(action="department.create_external").count() == 2
    assert resolve_department("国务院") is None
    assert not Department.objects.active().filter(kind="external").exists()


def test_reimport_corrects_metadata_of_earlier_imports_and_audits_it(corpus, departments):
    from gongkai.policies import actions

    # an import by an older version: everything issued by 区政府, typed 计划方案, published today
    policy = actions.create_policy(
        actor=None,
        title="中华人民共和国某某管理条例",
        body=REGULATION.split("\n", 1)[1].replace("<!-- INFO END -->", "").strip(),
        issuer=departments["区政府"],
        source_path="行政法规/某某管理条例(2019-03-02).md",
    )
    actions.publish_policy(policy, actor=None)
    out, _err = run(str(corpus))
    assert "更正 1 件" in out and "新建 2 件" in out
    policy.refresh_from_db()
    assert policy.issuer.short_name == "国务院" and policy.document_kind == "administrative_regulation"
    assert policy.written_date == datetime.date(2001, 12, 10) and policy.policy_type == ""
    assert policy.drafting_department is None  # it was 区政府 only because the issuer was
    assert policy.live and not policy.has_unpublished_changes
    assert policy.live_revision.as_object().issuer_id == policy.issuer_id  # the live revision says the same
    entry = AuditEntry.objects.get(action="policy.correct_metadata", object_id=str(policy.pk))
    assert entry.before["issuer"] == departments["区政府"].pk
    assert entry.after["issuer"] == policy.issuer_id and "重新导入" in entry.note
    # a third run changes nothing
    out, _err = run(str(corpus))
    assert "新建 0 件，更正 0 件，重复跳过 3 件" in out
