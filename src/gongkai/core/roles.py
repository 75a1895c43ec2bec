"""Roles are Django groups with fixed names. `ensure_roles` creates them with their permissions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DRAFTER = "drafter"
DEPARTMENT_OFFICER = "department_officer"
DISCLOSURE_HANDLER = "disclosure_handler"
OPENNESS_OFFICE = "openness_office"
FINANCE_REVIEWER = "finance_reviewer"
JUSTICE_REVIEWER = "justice_reviewer"
DISTRICT_OFFICE_REVIEWER = "district_office_reviewer"
ADMINISTRATOR = "administrator"

# Group names are what administrators see in the admin; they are Chinese.
ROLE_GROUPS: dict[str, str] = {
    DRAFTER: "起草人员",
    DEPARTMENT_OFFICER: "部门公开专员",
    DISCLOSURE_HANDLER: "依申请公开办理人员",
    OPENNESS_OFFICE: "政务公开办（区政务服务局）",
    FINANCE_REVIEWER: "财政审核（区财政局）",
    JUSTICE_REVIEWER: "合法性审核（区司法局）",
    DISTRICT_OFFICE_REVIEWER: "区政府办公室审核",
    ADMINISTRATOR: "系统管理员",
}
ROLE_DESCRIPTIONS = {
    DRAFTER: _("起草本部门政策文件及解读"),
    DEPARTMENT_OFFICER: _("本部门政务公开工作：发布、文件清理、任务进展报送"),
    DISCLOSURE_HANDLER: _("办理本部门受理的政府信息公开申请：认领、查看申请人身份信息、答复"),
    OPENNESS_OFFICE: _("全区政务公开主管：审核、督查、年度报告"),
    FINANCE_REVIEWER: _("前置审核：测算必要性"),
    JUSTICE_REVIEWER: _("前置审核：合法性"),
    DISTRICT_OFFICE_REVIEWER: _("前置审核：制定标准性"),
    ADMINISTRATOR: _("用户、部门、日历、印章等系统管理"),
}

# Which roles see and act on every department's records, not only their own.
DISTRICT_WIDE_ROLES = (
    OPENNESS_OFFICE,
    ADMINISTRATOR,
    DISTRICT_OFFICE_REVIEWER,
    FINANCE_REVIEWER,
    JUSTICE_REVIEWER,
)

# Model permissions per role, as "app_label.codename". Apps add to this through `extend_role_permissions`.
ROLE_PERMISSIONS: dict[str, set[str]] = {role: set() for role in ROLE_GROUPS}
ROLE_PERMISSIONS[ADMINISTRATOR] |= {"wagtailadmin.access_admin"}
for _role in ROLE_GROUPS:
    ROLE_PERMISSIONS[_role].add("wagtailadmin.access_admin")


def extend_role_permissions(role: str, *perms: str) -> None:
    ROLE_PERMISSIONS[role].update(perms)


def group_for(role: str):
    from django.contrib.auth.models import Group

    group, _created = Group.objects.get_or_create(name=ROLE_GROUPS[role])
    return group


def ensure_roles() -> None:
    """Creates the role groups and gives them their permissions. Idempotent; run after migrate."""
    from django.contrib.auth.models import Permission

    pairs = {tuple(perm.split(".", 1)) for perms in ROLE_PERMISSIONS.values() for perm in perms}
    # All the permissions named in one query; the first of each (app_label, codename) in the model's ordering,
    # as `.filter(…).first()` would give.
    found: dict[tuple[str, str], Permission] = {}
    for permission in Permission.objects.filter(
        content_type__app_label__in={app for app, _codename in pairs},
        codename__in={codename for _app, codename in pairs},
    ).select_related("content_type"):
        found.setdefault((permission.content_type.app_label, permission.codename), permission)
    for role, perms in ROLE_PERMISSIONS.items():
        group = group_for(role)
        wanted = [found[pair] for perm in perms if (pair := tuple(perm.split(".", 1))) in found]
        group.permissions.add(*wanted)


def role_group_names(user) -> frozenset:
    """The names of the user's groups, read once per user object (one request), as Django caches a user's
    permissions. `assign_role` forgets them; code that changes groups otherwise calls `forget_roles`."""
    cached = getattr(user, "_gongkai_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) if user.pk else frozenset()
        user._gongkai_role_names = cached
    return cached


def forget_roles(user) -> None:
    for attr in ("_gongkai_role_names", "_gongkai_scope_cache", "_perm_cache", "_group_perm_cache"):
        if hasattr(user, attr):
            delattr(user, attr)


def user_has_role(user, *roles: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser and ADMINISTRATOR in roles:
        return True
    names = {ROLE_GROUPS[r] for r in roles}
    return bool(names & role_group_names(user))


def is_district_wide(user) -> bool:
    """True for users who work on every department's records (openness office, reviewers, administrators)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user_has_role(user, *DISTRICT_WIDE_ROLES)


def assign_role(user, role: str) -> None:
    user.groups.add(group_for(role))
    forget_roles(user)
