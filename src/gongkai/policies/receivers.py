"""What the policies app itself does when a policy lapses: tell its department, and the departments whose
policies interpret or implement it. Interpretations, Q&A and redemption items built in other apps connect
their own receivers to `gongkai.policies.signals.policy_lapsed`."""

from __future__ import annotations

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
