"""Survey results of a policy, for its evaluation (征集调查, 23:二(五)1).

Surveys are run by the consultation app (public participation). This module is the small interface between the
two: the evaluation asks `survey_results(policy, year)`; the consultation app, when installed, registers a
provider in its `AppConfig.ready`:

    from gongkai.redemption.surveys import register_survey_provider
    register_survey_provider(my_provider)   # my_provider(policy, year) -> list[SurveySummary]

Until then the null provider answers with no surveys, and the report says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable


@dataclasses.dataclass(frozen=True)
class OptionCount:
    label: str
    count: int


@dataclasses.dataclass(frozen=True)
class QuestionSummary:
    text: str
    kind: str  # "choice" (options counted), "scale" (average of 1-5), "text" (number of answers only)
    options: tuple[OptionCount, ...] = ()
    average: float | None = None
    answers: int = 0


@dataclasses.dataclass(frozen=True)
class SurveySummary:
    title: str
    responses: int
    start: str = ""  # ISO dates
    end: str = ""
    url: str = ""
    questions: tuple[QuestionSummary, ...] = ()

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


SurveyProvider = Callable[[object, int], list[SurveySummary]]


def null_provider(policy, year) -> list[SurveySummary]:
    return []


_provider: SurveyProvider = null_provider


def register_survey_provider(provider: SurveyProvider) -> None:
    global _provider
    _provider = provider


def reset_survey_provider() -> None:
    register_survey_provider(null_provider)


def survey_results(policy, year: int) -> list[SurveySummary]:
    """The surveys about `policy` that closed in `year`, summarised. Never raises: a failing provider gives
    no surveys (the evaluation still works)."""
    try:
        return list(_provider(policy, year) or [])
    except Exception:  # a broken plug-in must not stop an evaluation
        import logging

        logging.getLogger(__name__).exception("survey provider failed")
        return []
