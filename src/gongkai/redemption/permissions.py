"""Who may do what in policy redemption. Scoping of lists is `for_user(user)` on each model's QuerySet
(models.py); these helpers decide single actions and are called by the actions themselves."""

from __future__ import annotations

from gongkai.core.roles import (
    ADMINISTRATOR,
    DEPARTMENT_OFFICER,
    DRAFTER,
    FINANCE_REVIEWER,
    OPENNESS_OFFICE,
    is_district_wide,
    user_has_role,
)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _own(user, department_id) -> bool:
    return bool(user.department_id) and user.department_id == department_id


def is_office(user) -> bool:
    """The openness office (区政务服务局, which leads the tag library and redemption, 24:二(四)) or an admin."""
    return _active(user) and (user.is_superuser or user_has_role(user, OPENNESS_OFFICE, ADMINISTRATOR))


def can_manage_tags(user) -> bool:
    return user is None or is_office(user)


def item_departments(item) -> set[int]:
    """The responsible department (主管部门) and the policy's drafting department (起草部门, its owner under the
    scoping rule of docs/architecture.md "Permissions"); the same paths as `ItemQuerySet.owner_paths`."""
    return {item.department_id, item.policy.drafting_department_id}


def can_edit_item(user, item) -> bool:
    """Drafters and officers of the responsible or issuing department; the openness office; administrators."""
    if user is None:
        return True
    if not _active(user):
        return False
    if is_office(user):
        return True
    return user_has_role(user, DRAFTER, DEPARTMENT_OFFICER) and user.department_id in item_departments(item)


def can_create_item_for(user, policy) -> bool:
    if user is None:
        return True
    if not _active(user):
        return False
    if is_office(user):
        return True
    return user_has_role(user, DRAFTER, DEPARTMENT_OFFICER) and _own(user, policy.drafting_department_id)


def can_publish_item(user, item) -> bool:
    if user is None:
        return True
    if not _active(user):
        return False
    if is_office(user):
        return True
    return user_has_role(user, DEPARTMENT_OFFICER) and user.department_id in item_departments(item)


def can_view_item(user, item) -> bool:
    from gongkai.core.scoping import VIEW

    from .models import RedemptionItem

    if not _active(user):
        return False
    return RedemptionItem.objects.none().user_can(user, VIEW, item)


def can_use_dataset(user, dataset) -> bool:
    """Upload, open and screen against a dataset: the department that holds it, the office, administrators."""
    if user is None:
        return True
    if not _active(user):
        return False
    if is_office(user):
        return True
    return user_has_role(user, DRAFTER, DEPARTMENT_OFFICER) and _own(user, dataset.department_id)


def can_upload_dataset(user, department) -> bool:
    if user is None:
        return True
    if not _active(user):
        return False
    if is_office(user):
        return True
    return user_has_role(user, DRAFTER, DEPARTMENT_OFFICER) and _own(user, department.pk)


def can_confirm_run(user, run) -> bool:
    """The responsible department's officer confirms the 免申即享 list (or an administrator)."""
    if user is None:
        return True
    if not _active(user):
        return False
    if user.is_superuser or user_has_role(user, ADMINISTRATOR):
        return True
    return user_has_role(user, DEPARTMENT_OFFICER) and _own(user, run.item.department_id)


def can_publish_run(user, run) -> bool:
    return can_confirm_run(user, run) or is_office(user)


def can_view_sandbox(user, item) -> bool:
    """The item's editors and the reviewers (区财政局 reads it at the 测算必要性 point)."""
    if not _active(user):
        return False
    return can_edit_item(user, item) or user_has_role(user, FINANCE_REVIEWER) or is_district_wide(user)


def can_edit_evaluation(user, evaluation) -> bool:
    if user is None:
        return True
    if not _active(user):
        return False
    if is_office(user):
        return True
    return user_has_role(user, DRAFTER, DEPARTMENT_OFFICER) and _own(user, evaluation.department_id)


def can_approve_evaluation(user) -> bool:
    """区政务服务局 leads the evaluation pilot (24:二(四)3) and approves the reports."""
    return user is None or is_office(user)


def can_publish_evaluation(user, evaluation) -> bool:
    if user is None:
        return True
    if not _active(user):
        return False
    if is_office(user):
        return True
    return user_has_role(user, DEPARTMENT_OFFICER) and _own(user, evaluation.department_id)


# The audit-log actions of this app, as the history on the staff screens names them.
ACTION_LABELS = {
    "tag.create": "新增标签值",
    "tag.update": "修改标签值",
    "tag.retire": "停用并迁移",
    "item.create": "新建事项",
    "item.update": "修改要素或标签",
    "item.condition_add": "添加条件",
    "item.condition_update": "修改条件",
    "item.condition_delete": "删除条件",
    "item.suggest": "从条款生成条件建议",
    "item.suggestion_dismiss": "忽略条件建议",
    "item.publish": "发布",
    "item.withdraw": "撤下",
    "item.lapse": "随政策失效",
    "item.delete": "删除草稿",
    "item.sandbox": "政策沙盘测算",
    "item.statistic": "填报兑现情况",
    "dataset.upload": "上传企业数据",
    "dataset.create": "生成企业数据",
    "dataset.delete": "删除数据集",
    "no_application.screen": "免申即享筛选",
    "no_application.decide": "调整名单",
    "no_application.confirm": "确认名单",
    "no_application.publish": "公布名单",
    "no_application.cancel": "作废批次",
    "evaluation.create": "新建评价",
    "evaluation.update": "修改报告",
    "evaluation.refresh": "重新采集数据",
    "evaluation.submit": "提交审定",
    "evaluation.approve": "审定通过",
    "evaluation.return": "退回修改",
    "evaluation.publish": "向社会公开",
    "evaluation.finding_add": "添加评价发现",
    "evaluation.finding_apply": "运用评价结果",
}


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)
