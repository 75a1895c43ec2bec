"""Staff screens in the Wagtail admin (菜单“惠企政策兑现”): redemption items with their condition trees and
suggestions, the tag library, enterprise datasets, 免申即享 batches, the sandbox and policy evaluations.
Every list and object comes through `for_user(user)`; every change through an action. Works without
JavaScript."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.core.audit import entries_for
from gongkai.core.models import Department
from gongkai.policies.models import Policy, PolicyType

from . import actions, permissions
from .datasets import template_xlsx
from .evaluation import charts, render_docx, usage_rows
from .facts import FACTS, OPS
from .forms import (
    ConditionForm,
    DecideForm,
    EvaluationCreateForm,
    EvaluationForm,
    FindingForm,
    GroupForm,
    ItemCreateForm,
    ItemForm,
    ItemTagsForm,
    NoteForm,
    ReasonForm,
    RetireForm,
    SandboxForm,
    ScreenForm,
    StatisticForm,
    TagEditForm,
    TagValueForm,
)
from .models import (
    Condition,
    ConditionSuggestion,
    Dimension,
    EnterpriseDataset,
    Evaluation,
    EvaluationFinding,
    EvaluationStatus,
    FeedEntry,
    ItemStatistic,
    ItemStatus,
    NoApplicationRun,
    NodeKind,
    RedemptionItem,
    RunStatus,
    SandboxRun,
    SuggestionStatus,
    TagStatus,
    TagValue,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(request, exc):
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(exc) or _("没有权限"))


def _ctx(request, title, **extra):
    return {"page_title": title, **extra}


# --- items -----------------------------------------------------------------------------------------------------


def _items(request):
    return RedemptionItem.objects.for_user(request.user)


def _item(request, pk) -> RedemptionItem:
    return get_object_or_404(_items(request).select_related("policy", "policy__issuer", "department"), pk=pk)


def index(request):
    items = (
        _items(request)
        .select_related("policy", "department")
        .annotate(n_conditions=Count("conditions", filter=Q(conditions__kind=NodeKind.FACT)))
    )
    status = request.GET.get("status", "")
    if status in ItemStatus.values:
        items = items.filter(status=status)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        items = items.filter(Q(title__icontains=q) | Q(policy__title__icontains=q) | Q(code__icontains=q))
    page = Paginator(items.order_by("-updated_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "redemption/admin/index.html",
        _ctx(request, _("兑现事项"), page=page, statuses=ItemStatus.choices, status=status, q=q),
    )


def _creatable_policies(user):
    policies = Policy.objects.filter(policy_type=PolicyType.SERVICE).select_related("issuer").order_by("-id")
    if permissions.is_office(user):
        return policies
    if not user.department_id:
        return policies.none()
    return policies.filter(drafting_department_id=user.department_id)


@require_http_methods(["GET", "POST"])
def item_create(request):
    policies = _creatable_policies(request.user)
    initial = {}
    if request.GET.get("policy", "").isdigit():
        initial["policy"] = int(request.GET["policy"])
    form = ItemCreateForm(request.POST or None, initial=initial, policies=policies)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        policy = data.pop("policy")
        try:
            item = actions.create_item(policy, actor=request.user, **data)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已创建兑现事项，请设置条件和标签"))
            return redirect("redemption_admin:item", pk=item.pk)
    return render(
        request, "redemption/admin/item_form.html", _ctx(request, _("新建兑现事项"), form=form, creating=True)
    )


def _group_choices(item):
    """(group, label) for every group of the item, indented by depth."""
    nodes = list(item.conditions.all())
    by_parent: dict = {}
    for n in nodes:
        by_parent.setdefault(n.parent_id, []).append(n)
    result = []

    def walk(parent_id, depth):
        for n in by_parent.get(parent_id, []):
            if n.is_group:
                name = n.text or n.get_kind_display()
                result.append((n, ("　" * depth) + (_("根条件组") + "：" if depth == 0 else "") + str(name)))
                walk(n.pk, depth + 1)

    walk(None, 0)
    return result


def _tree(item):
    from .engine import describe_condition, describe_required
    from .tags import tag_index

    tags = tag_index()
    nodes = list(item.conditions.all())
    by_parent: dict = {}
    for n in nodes:
        by_parent.setdefault(n.parent_id, []).append(n)

    def build(n):
        row = {"node": n, "children": [build(c) for c in by_parent.get(n.pk, [])]}
        if not n.is_group:
            row["fact_label"] = FACTS[n.fact].label if n.fact in FACTS else n.fact
            try:
                row["required"] = describe_required(n.fact, n.op, n.value, tags)
                row["text"] = describe_condition(n.fact, n.op, n.value, tags)
            except (KeyError, TypeError, ValueError):
                row["required"] = row["text"] = str(n.value)
        return row

    return [build(n) for n in by_parent.get(None, [])]


def _clause_choices(item):
    from .suggestions import policy_clauses

    return policy_clauses(item.policy.body)[:400]


@require_http_methods(["GET", "POST"])
def item(request, pk):
    item = _item(request, pk)
    can_edit = permissions.can_edit_item(request.user, item)
    can_publish = permissions.can_publish_item(request.user, item)
    groups = _group_choices(item)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    condition_form = ConditionForm(
        request.POST if action == "add_condition" else None, groups=groups, prefix="c"
    )
    group_form = GroupForm(request.POST if action == "add_group" else None, groups=groups, prefix="g")
    statistic_form = StatisticForm(request.POST if action == "statistic" else None, prefix="s")
    if action:
        if not can_edit and action not in ("publish", "withdraw"):
            raise PermissionDenied
        try:
            done = _item_action(request, item, action, condition_form, group_form, statistic_form)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
            done = False
        if done:
            return redirect(done if isinstance(done, str) else request.path)
    context = _ctx(
        request,
        _("兑现事项：%(title)s") % {"title": item.title},
        item=item,
        tree=_tree(item),
        groups=groups,
        condition_form=condition_form,
        group_form=group_form,
        statistic_form=statistic_form,
        suggestions=item.suggestions.filter(status=SuggestionStatus.PENDING),
        problems=actions.publication_problems(item) if item.status == ItemStatus.DRAFT else [],
        can_edit=can_edit and item.status in (ItemStatus.DRAFT, ItemStatus.PUBLISHED),
        can_publish=can_publish,
        clauses=_clause_choices(item),
        tags_by_dimension=[(label, item.tags_of(d)) for d, label in Dimension.choices],
        sandbox_runs=item.sandbox_runs.all()[:5],
        runs=item.no_application_runs.all(),
        statistics=ItemStatistic.objects.filter(item=item),
        feed_entries=FeedEntry.objects.filter(item=item).order_by("-pk")[:20],
        history=entries_for(item)[:30],
        facts=[(k, f.label, f.kind, [str(OPS[o]) for o in f.ops]) for k, f in FACTS.items()],
        suggested_tags=[t for t in actions.derive_tags_from_conditions(item) if t not in item.tags.all()],
        withdraw_form=ReasonForm(prefix="w"),
    )
    return render(request, "redemption/admin/item.html", context, status=400 if action else 200)


def _item_action(request, item, action, condition_form, group_form, statistic_form):
    user = request.user
    post = request.POST
    if action == "add_condition":
        if not condition_form.is_valid():
            messages.error(request, _("请检查条件表单"))
            return False
        data = condition_form.cleaned_data
        parent = item.conditions.filter(pk=data.get("parent")).first() if data.get("parent") else None
        actions.add_condition(
            item,
            actor=user,
            parent=parent,
            fact=data["fact"],
            op=data["op"],
            value=condition_form.condition_value(),
            text=data["text"],
            clause_article=data["clause_article"],
            clause_text=data["clause_text"],
        )
        messages.success(request, _("已添加条件"))
        return True
    if action == "add_group":
        if not group_form.is_valid():
            messages.error(request, _("请检查条件组表单"))
            return False
        data = group_form.cleaned_data
        parent = item.conditions.filter(pk=data.get("parent")).first() if data.get("parent") else None
        actions.add_condition(item, actor=user, parent=parent, kind=data["kind"], text=data["text"])
        messages.success(request, _("已添加条件组"))
        return True
    if action in ("delete_node", "toggle_group"):
        node = get_object_or_404(Condition, pk=_int(post.get("node")), item=item)
        if action == "delete_node":
            actions.delete_condition(node, actor=user)
            messages.success(request, _("已删除"))
        else:
            kind = NodeKind.ANY if node.kind == NodeKind.ALL else NodeKind.ALL
            actions.update_condition(node, actor=user, kind=kind)
            messages.success(request, _("已改为“%(kind)s”") % {"kind": NodeKind(kind).label})
        return True
    if action == "suggest":
        made = actions.suggest_conditions(item, actor=user)
        if made:
            messages.success(request, _("从条款中识别出 %(n)s 条建议，请逐条确认") % {"n": len(made)})
        else:
            messages.info(request, _("没有识别出新的条件建议"))
        return True
    if action in ("accept_suggestion", "dismiss_suggestion"):
        suggestion = get_object_or_404(ConditionSuggestion, pk=_int(post.get("suggestion")), item=item)
        if action == "accept_suggestion":
            parent = (
                item.conditions.filter(pk=_int(post.get("parent"))).first() if post.get("parent") else None
            )
            actions.accept_suggestion(suggestion, actor=user, parent=parent)
            messages.success(request, _("已确认为条件"))
        else:
            actions.dismiss_suggestion(suggestion, actor=user)
            messages.success(request, _("已忽略"))
        return True
    if action == "add_suggested_tags":
        wanted = [t for t in actions.derive_tags_from_conditions(item)]
        actions.update_item(
            item, actor=user, tags=list(item.tags.all()) + [t for t in wanted if t not in item.tags.all()]
        )
        messages.success(request, _("已按条件补充标签"))
        return True
    if action == "publish":
        actions.publish_item(item, actor=user)
        messages.success(request, _("已发布，企业可以匹配到该事项，并已报送京策数据"))
        return True
    if action == "withdraw":
        form = ReasonForm(post, prefix="w")
        if not form.is_valid():
            messages.error(request, _("请说明撤下理由"))
            return False
        actions.withdraw_item(item, actor=user, reason=form.cleaned_data["reason"])
        messages.success(request, _("已撤下"))
        return True
    if action == "delete":
        actions.delete_item(item, actor=user)
        messages.success(request, _("已删除草稿事项"))
        return _reverse("redemption_admin:index")
    if action == "statistic":
        if not statistic_form.is_valid():
            messages.error(request, _("请检查兑现情况表单"))
            return False
        data = statistic_form.cleaned_data
        actions.save_item_statistic(
            item, data["year"], actor=user, applications=data["applications"], approved=data["approved"],
            amount=data["amount"], source=data["source"],
        )  # fmt: skip
        messages.success(request, _("已保存兑现情况"))
        return True
    raise PermissionDenied(_("当前不能进行此操作"))


def _reverse(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404


@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = _item(request, pk)
    if not permissions.can_edit_item(request.user, item):
        raise PermissionDenied
    form = ItemForm(request.POST or None, instance=item, prefix="item")
    tags_form = ItemTagsForm(request.POST or None, item=item, prefix="tags")
    if request.method == "POST" and form.is_valid() and tags_form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            actions.update_item(
                RedemptionItem.objects.get(pk=item.pk),
                actor=request.user,
                tags=tags_form.tag_values(),
                **data,
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("redemption_admin:item", pk=item.pk)
    elif request.method == "POST":
        messages.error(request, _("请检查表单中的错误"))
    return render(
        request,
        "redemption/admin/item_form.html",
        _ctx(
            request,
            _("编辑兑现事项：%(title)s") % {"title": item.title},
            form=form,
            tags_form=tags_form,
            item=item,
        ),
    )


@require_http_methods(["GET", "POST"])
def condition_edit(request, pk, cid):
    item = _item(request, pk)
    node = get_object_or_404(Condition, pk=cid, item=item)
    if not permissions.can_edit_item(request.user, item):
        raise PermissionDenied
    if node.is_group:
        form = GroupForm(request.POST or None, initial={"kind": node.kind, "text": node.text}, groups=[])
        form.fields.pop("parent")
    else:
        value = node.value
        initial = {
            "fact": node.fact,
            "op": node.op,
            "text": node.text,
            "clause_article": node.clause_article,
            "clause_text": node.clause_text,
        }
        if isinstance(value, list) and node.op == "between":
            initial["value"], initial["value_high"] = value
        elif isinstance(value, list):
            initial["value"] = "、".join(str(v) for v in value)
        elif value is not None:
            initial["value"] = value
        form = ConditionForm(request.POST or None, initial=initial, groups=[])
        form.fields.pop("parent")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if node.is_group:
                actions.update_condition(node, actor=request.user, kind=data["kind"], text=data["text"])
            else:
                actions.update_condition(
                    node,
                    actor=request.user,
                    fact=data["fact"],
                    op=data["op"],
                    value=form.condition_value(),
                    text=data["text"],
                    clause_article=data["clause_article"],
                    clause_text=data["clause_text"],
                )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("redemption_admin:item", pk=item.pk)
    return render(
        request,
        "redemption/admin/condition_form.html",
        _ctx(request, _("修改条件"), form=form, item=item, node=node, clauses=_clause_choices(item)),
    )


# --- sandbox -----------------------------------------------------------------------------------------------------


def _datasets(request):
    return EnterpriseDataset.objects.for_user(request.user).select_related("department")


@require_http_methods(["GET", "POST"])
def sandbox(request, pk):
    item = _item(request, pk)
    if not permissions.can_view_sandbox(request.user, item):
        raise PermissionDenied
    can_run = permissions.can_edit_item(request.user, item)
    form = SandboxForm(request.POST or None, datasets=_datasets(request), prefix="sb")
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied
        if form.is_valid():
            from .matching import compile_item
            from .sandbox import numeric_leaves

            variants = None
            if form.cleaned_data["variants"]:
                leaves = numeric_leaves(compile_item(item))
                if not leaves:
                    messages.error(request, _("事项没有数值类条件，无法试算门槛"))
                    return redirect("redemption_admin:sandbox", pk=item.pk)
                variants = {leaves[0].index: form.cleaned_data["variants"]}
            try:
                run = actions.run_sandbox(
                    item,
                    form.cleaned_data["dataset"],
                    actor=request.user,
                    variants=variants,
                    note=form.cleaned_data["note"],
                )
            except (ValidationError, PermissionDenied) as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("测算完成"))
                return redirect("redemption_admin:sandbox_run", pk=item.pk, run_id=run.pk)
    return render(
        request,
        "redemption/admin/sandbox.html",
        _ctx(
            request,
            _("政策沙盘：%(title)s") % {"title": item.title},
            item=item,
            form=form,
            can_run=can_run,
            runs=item.sandbox_runs.all(),
        ),
    )


def sandbox_run(request, pk, run_id):
    item = _item(request, pk)
    if not permissions.can_view_sandbox(request.user, item):
        raise PermissionDenied
    run = get_object_or_404(SandboxRun, pk=run_id, item=item)
    return render(
        request,
        "redemption/admin/sandbox_run.html",
        _ctx(
            request,
            _("政策沙盘测算结果"),
            item=item,
            run=run,
            result=run.result,
            chart=_sandbox_chart(run.result),
        ),
    )


def _sandbox_chart(result):
    from .evaluation import bar_chart_svg

    thresholds = result.get("thresholds") or []
    if not thresholds:
        return None
    first = thresholds[0]
    return bar_chart_svg(
        [r["eligible"] for r in first["rows"]],
        [r["required"].replace(" 万元", "").replace(" 人", "") for r in first["rows"]],
        title=_("不同门槛下符合条件的企业数"),
        unit=_("家"),
        chart_id="sandbox-chart",
    )


# --- 免申即享 ------------------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def screen(request, pk):
    item = _item(request, pk)
    if not permissions.can_edit_item(request.user, item):
        raise PermissionDenied
    form = ScreenForm(request.POST or None, datasets=_datasets(request), prefix="sc")
    if request.method == "POST" and form.is_valid():
        try:
            run = actions.screen_no_application(
                item,
                form.cleaned_data["dataset"],
                actor=request.user,
                title=form.cleaned_data["title"],
                as_of=form.cleaned_data["as_of"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(
                request, _("筛选完成：符合条件 %(n)s 家，请核对后确认") % {"n": run.eligible_count}
            )
            return redirect("redemption_admin:run", run_id=run.pk)
    return render(
        request,
        "redemption/admin/screen.html",
        _ctx(request, _("免申即享筛选：%(title)s") % {"title": item.title}, item=item, form=form),
    )


def _runs(request):
    return NoApplicationRun.objects.filter(item__in=_items(request)).select_related(
        "item", "item__department", "dataset"
    )


@require_http_methods(["GET", "POST"])
def run(request, run_id):
    run = get_object_or_404(_runs(request), pk=run_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action:
        try:
            if action == "decide":
                form = DecideForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("请检查表单"))
                beneficiary = get_object_or_404(run.beneficiaries, pk=form.cleaned_data["beneficiary"])
                actions.decide_beneficiary(
                    beneficiary,
                    actor=request.user,
                    included=form.cleaned_data["included"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("已更新“%(name)s”") % {"name": beneficiary.name})
            elif action == "confirm":
                actions.confirm_run(run, actor=request.user, note=request.POST.get("note", "")[:2000])
                messages.success(request, _("名单已确认"))
            elif action == "publish":
                actions.publish_run(run, actor=request.user)
                messages.success(request, _("名单已在网站公布"))
            elif action == "cancel":
                actions.cancel_run(run, actor=request.user, reason=request.POST.get("reason", "")[:2000])
                messages.success(request, _("批次已作废"))
            else:
                raise PermissionDenied(_("当前不能进行此操作"))
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            return redirect("redemption_admin:run", run_id=run.pk)
    show = request.GET.get("show", "eligible")
    rows = run.beneficiaries.all()
    if show == "unknown":
        rows = rows.filter(result="unknown")
    elif show == "excluded":
        rows = rows.filter(included=False)
    else:
        show = "eligible"
        rows = rows.filter(result="eligible")
    page = Paginator(rows.order_by("id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "redemption/admin/run.html",
        _ctx(
            request,
            run.title,
            run=run,
            page=page,
            show=show,
            included=run.beneficiaries.filter(included=True).count(),
            can_edit=permissions.can_edit_item(request.user, run.item) and run.status == RunStatus.SCREENED,
            can_confirm=permissions.can_confirm_run(request.user, run) and run.status == RunStatus.SCREENED,
            can_publish=permissions.can_publish_run(request.user, run) and run.status == RunStatus.CONFIRMED,
            history=entries_for(run)[:30],
        ),
        status=400 if action else 200,
    )


def run_export(request, run_id):
    """The internal list (.xlsx) with the explanation of every enterprise, for the department's files."""
    from openpyxl import Workbook

    run = get_object_or_404(_runs(request), pk=run_id)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "筛选结果"
    sheet.append(
        [
            "序号",
            "名称",
            "统一社会信用代码",
            "判断结果",
            "列入名单",
            "兑现金额（万元）",
            "核实说明",
            "逐条说明",
        ]
    )
    for index, b in enumerate(run.beneficiaries.order_by("result", "id"), 1):
        detail = "；".join(
            f"{c['text']}：{'满足' if c['met'] else '不满足' if c['met'] is False else '未知'}（{c['given'] or '未提供'}）"
            for c in b.explanation
        )
        sheet.append(
            [
                index,
                b.name,
                b.credit_code,
                b.get_result_display(),
                "是" if b.included else "否",
                float(b.amount) if b.amount is not None else None,
                b.decision_note,
                detail,
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="run-{run.pk}.xlsx"'
    return response


# --- tags ---------------------------------------------------------------------------------------------------------


def tags(request):
    dimension = request.GET.get("dimension", Dimension.QUALIFICATION)
    if dimension not in Dimension.values:
        dimension = Dimension.QUALIFICATION
    q = request.GET.get("q", "").strip()[:50]
    values = (
        TagValue.objects.filter(dimension=dimension)
        .select_related("parent", "replaced_by", "department")
        .annotate(n_items=Count("items"))
    )
    if q:
        values = values.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(synonyms__icontains=q))
    can_manage = permissions.can_manage_tags(request.user)
    form = TagValueForm(initial={"dimension": dimension}) if can_manage else None
    counts = dict(TagValue.objects.values_list("dimension").annotate(n=Count("id")))
    return render(
        request,
        "redemption/admin/tags.html",
        _ctx(
            request,
            _("标签库"),
            dimensions=[(d, label, counts.get(d, 0)) for d, label in Dimension.choices],
            dimension=dimension,
            values=values,
            q=q,
            form=form,
            can_manage=can_manage,
        ),
    )


@require_POST
def tag_create(request):
    if not permissions.can_manage_tags(request.user):
        raise PermissionDenied
    form = TagValueForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            value = actions.create_tag_value(
                actor=request.user,
                dimension=data["dimension"],
                code=data["code"],
                name=data["name"],
                synonyms=data["synonyms"],
                description=data["description"],
                sort_order=data["sort_order"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
            return redirect(f"{_reverse('redemption_admin:tags')}?dimension={data['dimension']}")
        messages.success(request, _("已添加“%(name)s”") % {"name": value.name})
        return redirect("redemption_admin:tag", pk=value.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("redemption_admin:tags")


@require_http_methods(["GET", "POST"])
def tag(request, pk):
    value = get_object_or_404(TagValue.objects.select_related("parent", "replaced_by", "department"), pk=pk)
    can_manage = permissions.can_manage_tags(request.user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    edit_form = TagEditForm(
        request.POST if action == "edit" else None,
        initial={
            "name": value.name,
            "synonyms": "\n".join(value.synonyms),
            "description": value.description,
            "sort_order": value.sort_order,
        },
    )
    retire_form = RetireForm(request.POST if action == "retire" else None, value=value)
    if action:
        if not can_manage:
            raise PermissionDenied
        try:
            if action == "edit" and edit_form.is_valid():
                data = edit_form.cleaned_data
                actions.update_tag_value(
                    value,
                    actor=request.user,
                    name=data["name"],
                    synonyms=data["synonyms"],
                    description=data["description"],
                    sort_order=data["sort_order"],
                )
                messages.success(request, _("已保存"))
                return redirect("redemption_admin:tag", pk=value.pk)
            if action == "retire" and retire_form.is_valid():
                counts = actions.retire_tag_value(
                    value,
                    actor=request.user,
                    replacement=retire_form.cleaned_data["replacement"],
                    reason=retire_form.cleaned_data["reason"],
                )
                messages.success(
                    request,
                    _("已停用；迁移了 %(items)s 个事项、%(subscriptions)s 份订阅、%(records)s 条企业数据")
                    % counts,
                )
                return redirect("redemption_admin:tag", pk=value.pk)
            messages.error(request, _("请检查表单中的错误"))
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
    uses = {
        "items": value.items.count(),
        "conditions": sum(
            1
            for c in Condition.objects.filter(
                kind=NodeKind.FACT, fact__in=[k for k, f in FACTS.items() if f.dimension == value.dimension]
            )
            if c.value == value.code or (isinstance(c.value, list) and value.code in c.value)
        ),
    }
    return render(
        request,
        "redemption/admin/tag.html",
        _ctx(
            request,
            _("标签：%(name)s") % {"name": value.name},
            value=value,
            edit_form=edit_form,
            retire_form=retire_form,
            can_manage=can_manage and value.status == TagStatus.ACTIVE,
            history=[(h, _changes(h)) for h in entries_for(value)[:50]],
            uses=uses,
            children=value.children.all(),
        ),
        status=400 if action else 200,
    )


def _changes(entry) -> list[tuple[str, object, object]]:
    before, after = entry.before or {}, entry.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    keys = [k for k in after if k in before] if before else []
    return [(k, before.get(k), after.get(k)) for k in keys]


# --- datasets -----------------------------------------------------------------------------------------------------


def _upload_departments(user):
    if permissions.is_office(user):
        return Department.objects.active().filter(makes_policy=True)
    return Department.objects.filter(pk=user.department_id)


@require_http_methods(["GET", "POST"])
def datasets(request):
    from .forms import DatasetUploadForm

    departments = _upload_departments(request.user)
    form = DatasetUploadForm(
        request.POST or None,
        request.FILES or None,
        departments=departments,
        initial={"department": request.user.department_id},
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                dataset = actions.upload_dataset(
                    actor=request.user,
                    department=data["department"],
                    title=data["title"],
                    file=data["file"],
                    source=data["source"],
                    as_of=data["as_of"],
                )
            except (ValidationError, PermissionDenied) as exc:
                _errors(request, exc)
            else:
                if dataset.error_count:
                    messages.warning(
                        request,
                        _("已导入 %(ok)s 家企业；%(bad)s 行有误未导入，见下方明细")
                        % {"ok": dataset.row_count, "bad": dataset.error_count},
                    )
                else:
                    messages.success(request, _("已导入 %(ok)s 家企业") % {"ok": dataset.row_count})
                return redirect("redemption_admin:dataset", pk=dataset.pk)
        else:
            messages.error(request, _("请检查表单中的错误"))
    page = Paginator(_datasets(request), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "redemption/admin/datasets.html",
        _ctx(request, _("企业数据集"), page=page, form=form),
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def dataset(request, pk):
    dataset = get_object_or_404(_datasets(request), pk=pk)
    if request.method == "POST" and request.POST.get("action") == "delete":
        try:
            actions.delete_dataset(dataset, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
            return redirect("redemption_admin:dataset", pk=dataset.pk)
        messages.success(request, _("已删除数据集"))
        return redirect("redemption_admin:datasets")
    records = dataset.records.all()[:50]
    return render(
        request,
        "redemption/admin/dataset.html",
        _ctx(
            request,
            dataset.title,
            dataset=dataset,
            records=records,
            facts=FACTS,
            history=entries_for(dataset)[:20],
        ),
    )


def dataset_download(request, pk):
    """The original file, to the department that holds it (private storage, never a public URL)."""
    dataset = get_object_or_404(_datasets(request), pk=pk)
    if not dataset.file or not permissions.can_use_dataset(request.user, dataset):
        raise Http404
    response = FileResponse(
        dataset.file.open("rb"), as_attachment=True, filename=actions.dataset_file_name(dataset)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def dataset_template(request):
    response = HttpResponse(template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="enterprise-dataset-template.xlsx"'
    return response


# --- evaluations ------------------------------------------------------------------------------------------------------


def _evaluations(request):
    return Evaluation.objects.for_user(request.user).select_related("policy", "department")


def _evaluable_policies(user):
    policies = Policy.objects.filter(live=True).select_related("issuer").order_by("-publish_date", "-id")
    if permissions.is_office(user):
        return policies
    return (
        policies.filter(drafting_department_id=user.department_id) if user.department_id else policies.none()
    )


@require_http_methods(["GET", "POST"])
def evaluations(request):
    from django.utils import timezone

    form = EvaluationCreateForm(
        request.POST or None,
        policies=_evaluable_policies(request.user),
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            ev = actions.create_evaluation(
                form.cleaned_data["policy"], form.cleaned_data["year"], actor=request.user
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已建立评价，使用数据已采集"))
            return redirect("redemption_admin:evaluation", pk=ev.pk)
    page = Paginator(_evaluations(request), 30).get_page(request.GET.get("page"))
    return render(
        request, "redemption/admin/evaluations.html", _ctx(request, _("政策评价"), page=page, form=form)
    )


@require_http_methods(["GET", "POST"])
def evaluation(request, pk):
    ev = get_object_or_404(_evaluations(request), pk=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = EvaluationForm(
        request.POST if action == "save" else None,
        initial={
            "title": ev.title,
            "methods": ev.methods,
            **{n: getattr(ev, n) for n in Evaluation.SECTIONS},
        },
    )
    finding_form = FindingForm(request.POST if action == "add_finding" else None, prefix="f")
    note_form = NoteForm(request.POST if action in ("approve", "return") else None, prefix="n")
    if action:
        try:
            if action == "save":
                if not form.is_valid():
                    raise ValidationError(_("请检查表单中的错误"))
                actions.update_evaluation(ev, actor=request.user, **form.cleaned_data)
                messages.success(request, _("已保存"))
            elif action == "refresh":
                actions.refresh_evaluation_data(ev, actor=request.user)
                messages.success(request, _("已重新采集使用数据和问卷结果"))
            elif action == "submit":
                actions.submit_evaluation(ev, actor=request.user)
                messages.success(request, _("已提交区政务服务局审定"))
            elif action == "approve":
                note_form.is_valid()
                actions.approve_evaluation(
                    ev, actor=request.user, note=note_form.cleaned_data.get("note", "")
                )
                messages.success(request, _("已审定"))
            elif action == "return":
                note_form.is_valid()
                actions.return_evaluation(ev, actor=request.user, note=note_form.cleaned_data.get("note", ""))
                messages.success(request, _("已退回"))
            elif action == "publish":
                actions.publish_evaluation(ev, actor=request.user)
                messages.success(request, _("评价报告已向社会公开"))
            elif action == "add_finding":
                if not finding_form.is_valid():
                    raise ValidationError(_("请填写评价发现"))
                actions.add_finding(ev, actor=request.user, **finding_form.cleaned_data)
                messages.success(request, _("已添加评价发现"))
            elif action == "apply_finding":
                finding = get_object_or_404(
                    EvaluationFinding, pk=_int(request.POST.get("finding")), evaluation=ev
                )
                actions.apply_finding(finding, actor=request.user)
                messages.success(request, _("已运用评价结果"))
            else:
                raise PermissionDenied(_("当前不能进行此操作"))
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            return redirect("redemption_admin:evaluation", pk=ev.pk)
    can_edit = permissions.can_edit_evaluation(request.user, ev)
    return render(
        request,
        "redemption/admin/evaluation.html",
        _ctx(
            request,
            ev.title,
            ev=ev,
            form=form,
            finding_form=finding_form,
            note_form=note_form,
            usage=usage_rows(ev.usage),
            charts=charts(ev),
            findings=ev.findings.select_related("revision", "cleanup_campaign"),
            can_edit=can_edit and ev.status == EvaluationStatus.DRAFT,
            can_apply=can_edit and ev.status in (EvaluationStatus.APPROVED, EvaluationStatus.PUBLISHED),
            can_approve=permissions.can_approve_evaluation(request.user)
            and ev.status == EvaluationStatus.SUBMITTED,
            can_publish=permissions.can_publish_evaluation(request.user, ev)
            and ev.status == EvaluationStatus.APPROVED,
            history=entries_for(ev)[:30],
        ),
        status=400 if action else 200,
    )


def evaluation_docx(request, pk):
    ev = get_object_or_404(_evaluations(request), pk=pk)
    response = HttpResponse(
        render_docx(ev),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="evaluation-{ev.pk}.docx"'
    return response
