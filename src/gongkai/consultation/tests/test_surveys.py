"""Needs surveys: question types, bad answers, the per-browser answer limit and the address rate limit, results
and charts, the .xlsx export, and the survey provider of policy evaluation."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.consultation import actions
from gongkai.consultation.models import QuestionKind, SurveyResponse
from gongkai.consultation.views import RESPONDENT_COOKIE

from .conftest import old_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(staff, draft_policy):
    s = actions.create_survey(
        actor=staff["drafter"],
        department=staff["drafter"].department,
        title="企业需求调查",
        policy=draft_policy,
    )
    single = actions.add_question(
        s, actor=staff["drafter"], text="最需要的支持", kind=QuestionKind.SINGLE, options="资金\n场地\n人才"
    )
    multi = actions.add_question(
        s,
        actor=staff["drafter"],
        text="信息渠道",
        kind=QuestionKind.MULTIPLE,
        options=["网站", "公众号", "协会"],
    )
    rating = actions.add_question(s, actor=staff["drafter"], text="满意度", kind=QuestionKind.RATING)
    text = actions.add_question(
        s, actor=staff["drafter"], text="其他建议", kind=QuestionKind.TEXT, required=False
    )
    actions.open_survey(s, actor=staff["drafter"])
    s.q = {"single": single, "multi": multi, "rating": rating, "text": text}
    return s


def post(client, survey, **answers):
    data = {"website": "", "form_token": old_token()}
    for key, value in answers.items():
        data[f"q{survey.q[key].pk}"] = value
    return client.post(f"/consultation/surveys/{survey.pk}/", data)


def test_choice_questions_need_two_distinct_options(staff):
    s = actions.create_survey(actor=staff["drafter"], department=staff["drafter"].department, title="问卷")
    with pytest.raises(ValidationError, match="两个不同的选项"):
        actions.add_question(
            s, actor=staff["drafter"], text="题", kind=QuestionKind.SINGLE, options="同\n同\n"
        )
    with pytest.raises(ValidationError):
        actions.open_survey(s, actor=staff["drafter"])  # no question yet
    with pytest.raises(PermissionDenied):
        actions.add_question(s, actor=staff["other"], text="题", kind=QuestionKind.TEXT)


def test_answer_once_per_browser(survey, client):
    response = post(client, survey, single="1", multi=["0", "2"], rating="4", text="希望简化流程")
    assert response.status_code == 200 and "提交成功" in response.content.decode()
    cookie = response.cookies[RESPONDENT_COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/consultation/surveys/"
    assert SurveyResponse.objects.count() == 1
    again = client.get(f"/consultation/surveys/{survey.pk}/")
    assert "您已填写过该问卷" in again.content.decode()
    response = post(client, survey, single="0", multi=["0"], rating="5")
    assert response.status_code == 400 and "已填写过" in response.content.decode()
    assert SurveyResponse.objects.count() == 1
    # the stored respondent is a hash, never the browser's token
    assert SurveyResponse.objects.get().respondent != cookie.value


def test_clearing_the_cookie_is_bounded_by_the_address_limit(survey, client, settings):
    settings.GONGKAI_RATE_LIMITS = {"consultation.survey": [2, 3600]}
    for _ in range(2):
        client.cookies.clear()
        assert post(client, survey, single="0", multi=["1"], rating="3").status_code == 200
    client.cookies.clear()
    response = post(client, survey, single="0", multi=["1"], rating="3")
    assert response.status_code == 429 and SurveyResponse.objects.count() == 2


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"single": "9", "multi": ["0"], "rating": "3"},
        {"single": "-1", "multi": ["0"], "rating": "3"},
        {"single": "x", "multi": ["0"], "rating": "3"},
        {"single": "0", "multi": ["0", "7"], "rating": "3"},
        {"single": "0", "multi": ["0"], "rating": "6"},
        {"single": "0", "multi": ["0"], "rating": "0"},
        {"single": "0", "multi": ["0"], "rating": "3", "text": "长" * 2001},
    ],
)
def test_bad_answers_are_refused_with_a_message(survey, client, answers):
    response = post(client, survey, **answers)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_action_rejects_bad_answers_too(survey):
    with pytest.raises(ValidationError, match="第1题"):
        actions.submit_survey_response(
            survey,
            token="t",
            answers={survey.q["single"].pk: 5, survey.q["multi"].pk: [0], survey.q["rating"].pk: 3},
        )
    with pytest.raises(ValidationError, match="必答"):
        actions.submit_survey_response(survey, token="t", answers={})


def _answer(survey, n):
    for i in range(n):
        actions.submit_survey_response(
            survey,
            token=f"t{i}",
            answers={
                survey.q["single"].pk: i % 3,
                survey.q["multi"].pk: [0, 1] if i % 2 else [2],
                survey.q["rating"].pk: 5 if i % 2 else 3,
                survey.q["text"].pk: '=HYPERLINK("http://evil")' if i == 0 else "",
            },
        )


def test_results_chart_and_export(survey, staff, client):
    from openpyxl import load_workbook

    from gongkai.consultation.results import question_results

    _answer(survey, 6)
    rows = {r["question"].pk: r for r in question_results(survey)}
    assert [c for _l, c, _p in rows[survey.q["single"].pk]["options"]] == [2, 2, 2]
    assert [c for _l, c, _p in rows[survey.q["multi"].pk]["options"]] == [3, 3, 3]
    assert rows[survey.q["rating"].pk]["average"] == 4.0
    client.force_login(staff["drafter"])
    page = client.get(f"/admin/consultation/surveys/{survey.pk}/").content.decode()
    assert '<svg class="chart" role="img"' in page and "<rect" in page
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "style=" not in svg and "<script" not in svg
    response = client.get(f"/admin/consultation/surveys/{survey.pk}/export.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["汇总", "答卷"]
    answers = list(wb["答卷"].iter_rows(values_only=True))
    assert len(answers) == 7
    assert answers[1][-1] == '\'=HYPERLINK("http://evil")'  # a formula is never evaluated
    # another department: no results, no export
    client.force_login(staff["other"])
    assert client.get(f"/admin/consultation/surveys/{survey.pk}/").status_code == 404
    assert client.get(f"/admin/consultation/surveys/{survey.pk}/export.xlsx").status_code == 404


def test_closed_survey_results_are_public_without_free_text(survey, staff, client):
    _answer(survey, 4)
    assert client.get(f"/consultation/surveys/{survey.pk}/results/").status_code == 404
    actions.close_survey(survey, actor=staff["drafter"])
    assert client.get(f"/consultation/surveys/{survey.pk}/").status_code == 302
    response = client.get(f"/consultation/surveys/{survey.pk}/results/")
    page = response.content.decode()
    assert response.status_code == 200 and not response.cookies
    assert "<svg" in page and "HYPERLINK" not in page and "文字回答不公开" in page


def test_survey_provider_feeds_the_policy_evaluation(survey, draft_policy):
    from django.utils import timezone

    from gongkai.consultation.results import survey_provider
    from gongkai.redemption.surveys import register_survey_provider, survey_results

    # what ConsultationConfig.ready registers (another app's test may have reset it to the null provider)
    register_survey_provider(survey_provider)

    _answer(survey, 3)
    summaries = survey_results(draft_policy, timezone.localdate().year)
    assert len(summaries) == 1
    s = summaries[0]
    assert s.title == "企业需求调查" and s.responses == 3
    kinds = [q.kind for q in s.questions]
    assert kinds == ["choice", "choice", "scale", "text"]
    assert s.questions[2].average == pytest.approx(3.67, abs=0.01)
    assert survey_results(draft_policy, 2000) == []
