"""20 readers and 6 writers at once, as threads against the WSGI application (each thread its own database
connection), on the database the environment names (a file SQLite database or PostgreSQL). Run by
`tests/test_concurrent_writers.py` in a separate process with production settings; also by hand:

    DJANGO_SETTINGS_MODULE=gongkai.settings.production SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \\
        GONGKAI_VAR_DIR=/tmp/site python tests/writers_scenario.py --writes 8

Writers post the public application form (PBKDF2 of the query code), ask questions, track requests (PBKDF2
check) and publish policies (the page-cache generation row, the search index). Prints a JSON summary; the exit
code is 1 when any request answered 5xx, raised, or logged "database is locked".
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import logging
import random
import sys
import threading
import time
from collections import Counter

import django


class _Errors(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage() + (f" {record.exc_info[1]!r}" if record.exc_info else ""))


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, "PNG")
    return out.getvalue()


PERSON = {
    "applicant_type": "natural_person",
    "applicant_name": "张三丰",
    "id_type": "id_card",
    "id_number": "11010519491231002X",
    "phone": "13812345678",
    "email": "zhangsan@example.com",
    "address": "北京市西城区某某街道甲1号",
    "postal_code": "100032",
    "information_title": "2023年度老旧小区改造项目清单",
    "description": "西城区2023年度老旧小区综合整治项目的名单及资金安排",
    "information_form": "electronic",
    "delivery_method": "online",
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--writers", type=int, default=6)
    parser.add_argument("--writes", type=int, default=8, help="operations per writer")
    args = parser.parse_args()

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test import Client

    from gongkai.core.models import Department
    from gongkai.disclosure import actions as disclosure_actions
    from gongkai.disclosure.forms import form_token
    from gongkai.disclosure.models import DisclosureRequest
    from gongkai.policies import actions
    from gongkai.policies.models import Policy, PolicyQuestion

    errors = _Errors()
    logging.getLogger("django").addHandler(errors)
    logging.getLogger("gongkai").addHandler(errors)

    issuer = Department.objects.get(short_name="区发展改革委")
    policies = []
    for i in range(5):
        policy = actions.create_policy(
            actor=None,
            title=f"关于并发写入测试的第{i + 1}号通知",
            issuer=issuer,
            body="第一条 为了测试并发写入，制定本办法。\n第二条 本办法自发布之日起施行。",
            written_date=datetime.date(2024, 3, 1),
            publish_date=datetime.date(2024, 3, 5),
        )
        policies.append(actions.publish_policy(policy, actor=None))
    tracked = []
    for _ in range(3):
        data = {k: v for k, v in PERSON.items()}
        data["department"] = issuer
        data.update(
            organization_kind="", legal_representative="", contact_person="", information_doc_number=""
        )
        req, code = disclosure_actions.create_request(actor=None, channel="online", data=data)
        tracked.append((req.tracking_number, code))
    questions_before = PolicyQuestion.objects.count()
    requests_before = DisclosureRequest.objects.count()
    policies_before = Policy.objects.count()
    connection.close()

    statuses: Counter = Counter()
    by_kind: Counter = Counter()
    exceptions: list[str] = []
    lock = threading.Lock()
    done = threading.Event()
    address = iter(range(1, 10**6))

    def client() -> Client:
        with lock:
            n = next(address)
        # As the TLS proxy on this machine forwards a citizen's request (production settings redirect plain HTTP;
        # the client address comes from X-Forwarded-For of the trusted proxy, one rate-limit bucket per citizen).
        return Client(
            HTTP_HOST="127.0.0.1",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_PROTO="https",
            HTTP_X_FORWARDED_FOR=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
        )

    def record(kind, response):
        with lock:
            statuses[response.status_code] += 1
            by_kind[f"{kind} {response.status_code}"] += 1

    def reader(seed):
        rng = random.Random(seed)
        c = client()
        paths = ["/", "/policies/", "/normative/", "/feed/", "/search/?q=并发写入", "/review/qa/"]
        paths += [p.get_absolute_url() for p in policies]
        try:
            while not done.is_set():
                record("read", c.get(rng.choice(paths)))
        except Exception as exc:  # reported, makes the scenario fail
            with lock:
                exceptions.append(f"reader: {exc!r}")
        finally:
            connection.close()

    def writer(seed):
        rng = random.Random(seed)
        try:
            for i in range(args.writes):
                kind = ["apply", "ask", "track", "publish"][(seed + i) % 4]
                c = client()
                if kind == "apply":
                    data = {**PERSON, "department": issuer.pk, "promise": "on", "website": ""}
                    data["form_token"] = form_token(time.time() - 60)
                    data["identity_proof"] = SimpleUploadedFile("id.png", _png(), "image/png")
                    response = c.post("/disclosure/", data)
                    ok = response.status_code == 302
                elif kind == "ask":
                    policy = rng.choice(policies)
                    response = c.post(
                        f"/review/policies/{policy.pk}/ask/",
                        {
                            "kind": "question",
                            "question": f"请问第{seed}-{i}个问题的适用范围？",
                            "website": "",
                            "form_token": form_token(time.time() - 60),
                        },
                    )
                    ok = response.status_code == 302
                elif kind == "track":
                    number, code = rng.choice(tracked)
                    response = c.post("/disclosure/track/", {"tracking_number": number, "query_code": code})
                    ok = response.status_code == 200 and number in response.content.decode()
                else:
                    policy = actions.create_policy(
                        actor=None,
                        title=f"并发发布的文件{seed}-{i}",
                        issuer=issuer,
                        body="第一条 并发发布。",
                        written_date=datetime.date(2024, 4, 1),
                        publish_date=datetime.date(2024, 4, 2),
                    )
                    actions.publish_policy(policy, actor=None)
                    response = c.get("/policies/")
                    ok = f"并发发布的文件{seed}-{i}" in response.content.decode()
                record(kind, response)
                if not ok:
                    with lock:
                        exceptions.append(f"{kind}: unexpected answer {response.status_code}")
        except Exception as exc:  # reported, makes the scenario fail
            with lock:
                exceptions.append(f"writer {kind}: {exc!r}")
        finally:
            connection.close()

    started = time.monotonic()
    readers = [threading.Thread(target=reader, args=(i,)) for i in range(args.readers)]
    writers = [threading.Thread(target=writer, args=(i,)) for i in range(args.writers)]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join()
    done.set()
    for t in readers:
        t.join()
    elapsed = time.monotonic() - started

    expected = {k: 0 for k in ("apply", "ask", "track", "publish")}
    for seed in range(args.writers):
        for i in range(args.writes):
            expected[["apply", "ask", "track", "publish"][(seed + i) % 4]] += 1
    created = {
        "apply": DisclosureRequest.objects.count() - requests_before,
        "ask": PolicyQuestion.objects.count() - questions_before,
        "publish": Policy.objects.count() - policies_before,
    }
    locked = [m for m in errors.messages + exceptions if "locked" in m]
    summary = {
        "database": connection.vendor,
        "seconds": round(elapsed, 1),
        "statuses": dict(statuses),
        "by_kind": dict(by_kind),
        "expected_writes": expected,
        "created": created,
        "server_errors": sum(n for s, n in statuses.items() if s >= 500),
        "exceptions": exceptions,
        "logged_errors": errors.messages,
        "database_locked": len(locked),
    }
    print("SUMMARY " + json.dumps(summary, ensure_ascii=False))
    failed = (
        summary["server_errors"]
        or exceptions
        or errors.messages
        or any(created[k] != expected[k] for k in created)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
