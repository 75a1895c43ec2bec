"""What the policies app itself does when a policy lapses: tell its department, and the departments whose
policies interpret or implement it. Interpretations, Q&A and redemption items built in other apps connect
their own receivers to `gongkai.policies.signals.policy_lapsed`."""

from __future__ import annotations

from django.urls import reverse

from gongkai.core.notify import notify

from .models import RelationKind, Validity

DEPENDANT_KINDS = (RelationKind.INTERPRETS, RelationKind.IMPLEMENTS)


def flag_dependants_of_lapsed_policy(sender, policy, status, **kwargs):
    label = Validity(status).label
    notify(
        subject=f"《{policy.title}》已{label}",
        body=(
            f"《{policy.title}》{policy.doc_number}的有效性已变为“{label}”。"
            "请检查并更新其政策解读、问答和兑现事项，撤下或标注已不再适用的内容。"
        ),
        department=policy.issuer,
        link=policy.get_absolute_url(),
        dedup_key=f"policy-lapsed:{policy.pk}:{status}",
    )
    for relation in policy.incoming_relations.filter(kind__in=DEPENDANT_KINDS).select_related(
        "policy__issuer"
    ):
        dependant = relation.policy
        notify(
            subject=f"《{dependant.title}》所依据的《{policy.title}》已{label}",
            body=(
                f"《{dependant.title}》{relation.get_kind_display()}的《{policy.title}》已{label}。"
                "请确认该文件是否仍然适用，需要时修改、废止或撤下。"
            ),
            department=dependant.issuer,
            link=dependant.get_absolute_url(),
            dedup_key=f"policy-lapsed-dependant:{dependant.pk}:{policy.pk}:{status}",
        )


def flag_interpretations_and_qa_of_lapsed_policy(sender, policy, status, **kwargs):
    """Every interpretation and published Q&A of a lapsed policy is flagged for its owner (24:二(二)3): the
    interpreting department gets one notice per interpretation; the issuing department one for its Q&A."""
    from .models import InterpretationStatus, PolicyQuestion, QuestionStatus

    label = Validity(status).label
    for item in policy.interpretations.exclude(status=InterpretationStatus.WITHDRAWN).select_related(
        "department"
    ):
        notify(
            subject=f"解读《{item.title}》所解读的政策已{label}",
            body=(
                f"《{policy.title}》已{label}。请复核解读《{item.title}》，需要时撤回或注明该政策已不再适用。"
            ),
            department=item.department,
            link=reverse("interpretations:edit", args=[item.pk]),
            dedup_key=f"policy-lapsed-interpretation:{item.pk}:{policy.pk}:{status}",
        )
    published_qa = PolicyQuestion.objects.filter(policy=policy, status=QuestionStatus.PUBLISHED).count()
    if published_qa:
        notify(
            subject=f"《{policy.title}》的政策问答需要复核",
            body=f"《{policy.title}》已{label}，其 {published_qa} 条已公开的问答可能不再适用，请复核后撤下或更新。",
            department=policy.issuer,
            link=policy.get_absolute_url(),
            dedup_key=f"policy-lapsed-qa:{policy.pk}:{status}",
        )
