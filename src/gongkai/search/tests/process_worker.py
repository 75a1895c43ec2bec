"""A separate Python process for `test_processes`: reads one JSON command a line on stdin, answers one JSON line
on stdout. It sets Django up on the database named by the environment (the test's database), so two of them
are two processes on one database, each with its own in-memory metadata copy of the search."""

import json
import os
import sys


def setup():
    import django
    from django.conf import settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")
    from django.conf import global_settings  # noqa: F401 - settings are configured below, before setup

    import gongkai.settings.test as test_settings

    database = dict(test_settings.DATABASES["default"])
    database["NAME"] = os.environ["GONGKAI_WORKER_DB_NAME"]
    if database["ENGINE"].endswith("sqlite3"):
        database["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    names = {k: getattr(test_settings, k) for k in dir(test_settings) if k.isupper()}
    names["DATABASES"] = {"default": database}
    settings.configure(**names)
    django.setup()


def handle(command: dict) -> dict:
    from gongkai.core.models import Department
    from gongkai.policies import actions
    from gongkai.policies.models import Policy
    from gongkai.search.service import search_policies

    op = command["op"]
    if op == "search":
        result = search_policies(command["query"], command.get("filters"))
        facets = {f.field: {value: n for value, _label, n in f.values} for f in result.facets}
        return {"total": result.total, "ids": [h.policy.pk for h in result.hits], "facets": facets}
    if op == "zero_results":  # counts the same zero-result query `times` times (test of the atomic upsert)
        from gongkai.search.querylog import record_zero_result

        for _ in range(command["times"]):
            record_zero_result(command["query"])
        return {"ok": True}
    if op == "publish":
        issuer = Department.objects.order_by("pk").first()
        policy = actions.create_policy(
            actor=None, title=command["title"], issuer=issuer, body=command["body"]
        )
        policy = actions.publish_policy(policy, actor=None)
        return {"id": policy.pk}
    policy = Policy.objects.get(pk=command["id"])
    if op == "unpublish":
        actions.unpublish_policy(policy, actor=None, reason="测试撤回")
        return {"ok": True}
    if op == "declare_validity":
        actions.declare_validity(policy, command["status"], actor=None, reason="测试清理")
        return {"ok": True}
    raise ValueError(op)


def main():
    setup()
    print(json.dumps({"ready": os.getpid()}), flush=True)
    for line in sys.stdin:
        try:
            answer = handle(json.loads(line))
        except Exception as exc:  # noqa: BLE001 - the test shows what went wrong
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
