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
    laws = tmp_path / "法规" / "北京"
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
    out, err = run(str(tree))
    assert "新建 3 件，重复跳过 0 件，失败 2 件" in out
    assert "空.md：空文件" in err and "二进制.txt：不是文本文件" in err
    assert Policy.objects.count() == 3
    assert {p.source_path.lower().rsplit(".", 1)[1] for p in Policy.objects.all()} == {"md", "txt"}
    regulation = Policy.objects.get(title="北京市适老化促进条例")
    assert regulation.is_public and regulation.issuer == departments["区政府"]
    assert regulation.publish_date == regulation.written_date == datetime.date(2022, 11, 25)
    assert (
        regulation.index_number and regulation.source_path == "法规/北京/北京市适老化促进条例(2022-11-25).md"
    )
    actions = set(AuditEntry.objects.filter(object_id=str(regulation.pk)).values_list("action", flat=True))
    assert actions == {"policy.create", "policy.publish"}
    # searchable at once
    assert [h.policy.pk for h in search_policies("适老化").hits] == [regulation.pk]
    # the same content again: nothing new
    out, _err = run(str(tree))
    assert "新建 0 件，重复跳过 3 件" in out
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
