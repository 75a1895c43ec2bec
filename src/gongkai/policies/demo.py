"""Demo files of the policy library (issue 11, item 8): public attachments of a published 主动公开 policy, attachments
of a 不予公开 policy and of a draft (private), a published 一图读懂 interpretation (public picture) and a draft audio
interpretation (private recording). Idempotent."""

from __future__ import annotations

from django.db import transaction

from gongkai.core.samples import sample_upload

PUBLIC_POLICY = "西城区促进中小企业专精特新发展的若干措施"
NOT_DISCLOSED_POLICY = "关于西城区内部会议安排的通知"
DRAFT_POLICY = "西城区政务公开工作考核细则（征求意见稿）"


@transaction.atomic
def load_demo_files() -> str:
    from . import actions
    from .models import Interpretation, InterpretationForm, Policy, PolicyAttachment

    made = []
    public = Policy.objects.filter(title=PUBLIC_POLICY).first()
    if public is not None and not PolicyAttachment.objects.filter(policy=public).exists():
        actions.add_attachment(
            public,
            actor=None,
            title="申报指南",
            file=sample_upload("申报指南.pdf", "申报指南\n一、申报条件\n二、申报材料"),
        )
        actions.add_attachment(public, actor=None, title="申报表", file=sample_upload("申报表.xlsx"))
        actions.publish_policy(public, actor=None, override_reason="演示数据")
        made.append("公开附件 2 个")
    internal = Policy.objects.filter(title=NOT_DISCLOSED_POLICY).first()
    if internal is not None and not PolicyAttachment.objects.filter(policy=internal).exists():
        actions.add_attachment(
            internal, actor=None, title="会议议程", file=sample_upload("会议议程.docx", "会议议程（内部）")
        )
        actions.publish_policy(internal, actor=None, override_reason="演示数据")
        made.append("不予公开文件附件 1 个")
    draft = Policy.objects.filter(title=DRAFT_POLICY).first()
    if draft is not None and not draft.live and not PolicyAttachment.objects.filter(policy=draft).exists():
        actions.add_attachment(
            draft, actor=None, title="起草说明", file=sample_upload("起草说明.pdf", "起草说明（草稿）")
        )
        made.append("草稿附件 1 个")
    if public is not None and not Interpretation.objects.filter(title="一图读懂：专精特新若干措施").exists():
        item = actions.create_interpretation(
            actor=None,
            policies=[public],
            title="一图读懂：专精特新若干措施",
            form=InterpretationForm.GRAPHIC,
            first_interpreter="区发展改革委主要负责人",
            background="落实国家和本市支持中小企业专精特新发展的部署。",
            objectives="到2026年培育一批专精特新企业。",
            main_content="对首次认定的国家级“小巨人”企业给予一次性奖励。",
            innovations="免申即享，主动兑现。",
            key_terms="专精特新：专业化、精细化、特色化、新颖化。",
            scope="在本区注册纳税的中小企业。",
            standards="一次性奖励50万元。",
            precautions="申报材料须真实。",
            image=sample_upload("图解.png"),
            image_alt="图解列出奖励对象、标准和申报方式",
        )
        actions.approve_interpretation(item, actor=None)
        actions.publish_interpretation(item, actor=None)
        made.append("公开图解 1 个")
    if public is not None and not Interpretation.objects.filter(title="音频解读（审核中）").exists():
        actions.create_interpretation(
            actor=None,
            policies=[public],
            title="音频解读（审核中）",
            form=InterpretationForm.AUDIO,
            first_interpreter="区发展改革委主要负责人",
            media_file=sample_upload("解读录音.mp3"),
            transcript="各位企业朋友，大家好。",
        )
        made.append("未公开音频 1 个")
    return "、".join(made) or "已存在"
