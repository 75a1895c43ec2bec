"""`gongkai backup` and `gongkai restore` refuse before they touch anything: a backup never goes into a folder that
is not empty (an old backup stays whole), and a restore needs a folder `gongkai backup` made (its manifest.json).
Run in-process: the refusals come before any database or file work, so a separate `gongkai` process
(tests/test_backup_restore.py runs the real backup and restore that way) would only add its start-up."""

import json

import pytest
from django.core.management import CommandError, call_command


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    old = tmp_path / "backup"
    old.mkdir()
    manifest = old / "manifest.json"
    manifest.write_text(json.dumps({"created_at": "2026-01-01T00:00:00+00:00"}))
    with pytest.raises(CommandError, match="不是空的"):
        call_command("backup", str(old))
    assert [p.name for p in old.iterdir()] == ["manifest.json"]  # nothing written beside the old backup
    assert json.loads(manifest.read_text())["created_at"].startswith("2026-01-01")


@pytest.mark.parametrize("content", [None, "not json {", "[]", '{"counts": {}}'])
def test_restore_refuses_a_folder_that_is_no_backup(tmp_path, content):
    if content is not None:
        (tmp_path / "manifest.json").write_text(content)
    (tmp_path / "database.sqlite3").write_bytes(b"not a database")
    with pytest.raises(CommandError, match="manifest.json"):
        call_command("restore", str(tmp_path), "--yes")
