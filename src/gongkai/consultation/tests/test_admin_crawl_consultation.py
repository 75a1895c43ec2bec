"""Every screen of the app, reached by following links from /admin/consultation/, for each role: no error, and a
department never sees another department's pending comments, names, contacts or survey drafts. (The project's
crawl starts at /admin/ and stops at 90 pages per role; this one starts here.)"""

import pytest
from django.test import Client

from gongkai.consultation import actions
from gongkai.consultation.models import QuestionKind
from gongkai.core import roles
from tests.test_admin_crawl import crawl

from .conftest import add_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(staff, make_policy, closed_consultation):
    other_policy = make_policy("乙部门的政策草案", department="区民政局", publish=False, actor=staff["other"])
    other = actions.create_consultation(actor=staff["other"], policy=other_policy, explanation="乙起草说明")
    actions.publish_consultation(other, actor=staff["other"])
    add_comment(other, text="乙部门收到的意见【乙密】", name="乙姓名【乙密】", contact="13700001111")
    survey = actions.create_survey(
        actor=staff["other"], department=staff["other"].department, title="乙部门问卷【乙密】"
    )
    actions.add_question(survey, actor=staff["other"], text="题", kind=QuestionKind.TEXT)
    mine = actions.publish_comment(
        add_comment(closed_consultation, text="甲部门的意见"), actor=staff["drafter"]
    )
    group = actions.group_comments(closed_consultation, [mine], actor=staff["drafter"], point="甲要点")
    actions.dispose_group(group, actor=staff["drafter"], disposition="adopted")
    own_survey = actions.create_survey(
        actor=staff["drafter"], department=staff["drafter"].department, title="甲部门问卷"
    )
    actions.add_question(
        own_survey, actor=staff["drafter"], text="单选", kind=QuestionKind.SINGLE, options="是\n否"
    )
    actions.open_survey(own_survey, actor=staff["drafter"])
    actions.submit_survey_response(own_survey, token="t", answers={own_survey.questions.get().pk: 0})
    actions.generate_report(closed_consultation, actor=staff["drafter"])
    return ["乙部门收到的意见【乙密】", "乙姓名【乙密】", "13700001111", "乙部门问卷【乙密】"]


@pytest.mark.rendering_only(
    reason="GET requests only: the consultation screens' queries run on PostgreSQL in test_public.py, "
    "test_events.py, test_enquiries.py, test_surveys.py and test_draft_files.py, which open and post them; "
    "the world is made through actions those tests run there too"
)
def test_every_consultation_screen_for_every_role(world, staff, make_user):
    handler = make_user(roles.DISCLOSURE_HANDLER, "区发展改革委", username="c_handler")
    people = {**staff, "handler": handler}
    problems, office_pages = [], None
    for role, user in people.items():
        client = Client()
        client.force_login(user)
        # The second start's crawl reaches many of the first one's pages again (the menu, the lists): a page this
        # user already opened is answered from `responses` instead of being requested twice (same checks).
        responses = {}
        for url in ("/admin/consultation/", "/admin/consultation/surveys/"):
            pages = crawl(client, start=url, per_role=60, per_shape=3, responses=responses)
            if role == "office" and office_pages is None:
                office_pages = pages
            for page_url, status, text in pages:
                if status >= 500:
                    problems.append(f"{role}: {page_url} answered {status}")
                if role in ("drafter", "officer", "handler"):
                    problems += [f"{role}: {page_url} shows {s}" for s in world if s in text]
    assert not problems, "\n".join(problems)
    # The office's crawl from /admin/consultation/ above (the same crawl a second run would repeat page for page)
    seen = "".join(t for _u, _s, t in office_pages)
    assert "乙部门收到的意见【乙密】" in seen  # district-wide: the check above is meaningful


def test_roles_without_the_permission_are_turned_away(world, make_user):
    handler = make_user(roles.DISCLOSURE_HANDLER, "区发展改革委", username="c_handler2")
    client = Client()
    client.force_login(handler)
    response = client.get("/admin/consultation/")
    assert response.status_code in (302, 403) and "乙部门" not in response.content.decode()
    assert client.get("/admin/consultation/sensitive-words/").status_code in (302, 403)
