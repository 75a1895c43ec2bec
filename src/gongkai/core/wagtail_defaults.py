"""Wagtail's own migrations create a workflow, a task and two groups with English names ("Moderators approval",
"Moderators", "Editors") for its page tree, which this site does not use, and permissions are named
"Can publish 政策文件". A zh-hans administrator sees these in 设置 → 工作流, on every user form and on the group
screen, so the setup step gives them Chinese names (idempotent; also run after every migrate)."""

from __future__ import annotations

RENAMES = {
    "workflow": {"Moderators approval": "页面审批（未使用）"},
    "task": {"Moderators approval": "页面审批（未使用）"},
    "group": {"Moderators": "页面审核员（未使用）", "Editors": "页面编辑（未使用）"},
}


PERMISSION_VERBS = {
    "add": "新增",
    "change": "修改",
    "delete": "删除",
    "view": "查看",
    "publish": "发布",
    "lock": "锁定",
    "unlock": "解锁",
}


def chinese_permission_names() -> int:
    """Django and Wagtail name permissions "Can publish 政策文件"; the group screen shows these names."""
    import re

    from django.contrib.auth.models import Permission

    verbs = "|".join(PERMISSION_VERBS)
    pattern = re.compile(rf"^Can ({verbs}) (.+)$")
    changed = 0
    for perm in Permission.objects.filter(name__startswith="Can "):
        match = pattern.match(perm.name)
        if match:
            Permission.objects.filter(pk=perm.pk).update(name=f"可{PERMISSION_VERBS[match[1]]}{match[2]}")
            changed += 1
    Permission.objects.filter(codename="access_admin", name="Can access Wagtail admin").update(
        name="可进入管理后台"
    )
    return changed


def chinese_names_for_wagtail_defaults() -> str:
    from django.contrib.auth.models import Group, Permission
    from django.db import connection
    from wagtail.models import Task, Workflow

    tables = set(connection.introspection.table_names())
    if not {m._meta.db_table for m in (Workflow, Task, Group, Permission)} <= tables:
        return "数据表尚未建立"  # a partial migrate
    changed = 0
    for model, key in ((Workflow, "workflow"), (Task, "task"), (Group, "group")):
        for old, new in RENAMES[key].items():
            if not model.objects.filter(name=new).exists():
                changed += model.objects.filter(name=old).update(name=new)
    changed += chinese_permission_names()
    return f"已改名 {changed} 项" if changed else "无需改名"
