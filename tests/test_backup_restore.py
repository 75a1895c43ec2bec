"""`gongkai backup` while the server runs, `gongkai restore` into an empty site: the data and files come back."""

import json
import urllib.parse

import pytest

from .serverkit import get
from .test_serve import publish

pytestmark = [pytest.mark.server, pytest.mark.xdist_group("server")]


@pytest.fixture
def factory(site_factory):
    return site_factory


def test_backup_while_serving_and_restore_into_a_new_site(factory, tmp_path):
    source, target = factory.new(), factory.new()
    try:
        pk, attachment_url = publish(source, "关于备份恢复演练的通知")
        _proc, port, _log = source.serve()
        assert get(port, f"/policies/{pk}/")[0] == 200
        backup = tmp_path / "backup"
        result = source.run("backup", str(backup))
        assert "已备份" in result.stdout
        manifest = json.loads((backup / "manifest.json").read_text())
        assert manifest["counts"]["policies.Policy"] >= 1
        assert manifest["files"]["default"]["files"] >= 1
        # The refusals (never over an old backup, never from a folder that is no backup) are checked in-process:
        # src/gongkai/core/tests/test_backup_refusals.py (a `gongkai` process costs 2–4 s of CPU to start).
        source.stop_all()

        # The target site is freshly migrated and empty; restore, migrate, serve. (Read from its database directly:
        # a Django process would only add its start-up, 2–3 s of CPU, to the same answer.)
        assert ("关于备份恢复演练的通知",) not in target.query("SELECT title FROM policies_policy")
        result = target.run("restore", str(backup), "--yes")
        assert "已恢复" in result.stdout
        target.run("migrate", "--no-input", "-v0")
        relative = urllib.parse.unquote(attachment_url.removeprefix("/media/"))
        assert (target.var_dir / "media" / relative).read_bytes().startswith(b"%PDF")
        _proc, port, _log = target.serve()
        status, _headers, body = get(port, f"/policies/{pk}/")
        assert status == 200 and "关于备份恢复演练的通知" in body.decode()
    finally:
        source.destroy()
        target.destroy()
