"""Item analysis of one quiz in one cohort (Moodle's definitions, domain/statistics.py): per
question the facility, standard deviation, discrimination index and discriminative efficiency,
how often each choice was picked, and flags for questions worth a second look. Three queries
whatever the number of attempts."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from ..domain.errors import NotFound
from ..domain.questions.numeric import response_text, response_value
from ..domain.questions.true_false import CHOICES as TRUE_FALSE_CHOICES
from ..domain.statistics import (
    AttemptScore,
    Bin,
    ItemResponse,
    ItemStatistics,
    item_statistics,
    score_bins,
    select_attempts,
    share,
)
from ..domain.text import collapse_whitespace
from ..extensions import db
from ..i18n import number
from ..models import Answer, Attempt, Cohort, Enrolment, Question, Quiz

CHOICE_TYPES = ("single", "multiple", "true_false")
TEXT_TYPES = ("short", "numeric")
TOP_RESPONSES = 10


@dataclass(frozen=True)
class ChoiceCount:
    key: str
    text: Any
    correct: bool
    count: int
    percent: float


@dataclass(frozen=True)
class ResponseCount:
    text: str
    count: int
    percent: float
    fraction: float  # the mean credit it earned


@dataclass(frozen=True)
class QuestionAnalysis:
    question: Question
    stats: ItemStatistics
    choices: list[ChoiceCount]
    responses: list[ResponseCount]
    unanswered: int


@dataclass(frozen=True)
class QuizAnalysis:
    quiz: Quiz
    selection: str
    attempts: int
    trainees: int
    waiting: int            # attempts left out because an essay still waits for grading
    distribution: list[Bin]
    questions: list[QuestionAnalysis]


def quiz_of(cohort: Cohort, slug: str) -> Quiz:
    quiz = db.session.scalar(sa.select(Quiz).where(
        Quiz.course_id == cohort.course_id, Quiz.slug == slug, Quiz.archived.is_(False)))
    if quiz is None:
        raise NotFound("quiz")
    return quiz


def _attempts(cohort: Cohort, quiz: Quiz) -> list[sa.Row]:
    enrolled = sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id)
    return list(db.session.execute(
        sa.select(Attempt.id, Attempt.user_id, Attempt.number, Attempt.status, Attempt.percent,
                  Attempt.score_raw)
        .where(Attempt.quiz_id == quiz.id, Attempt.user_id.in_(enrolled),
               Attempt.status.in_(("finished", "needs_grading")))).all())


def _answers(cohort: Cohort, quiz: Quiz) -> dict[int, dict[str, sa.Row]]:
    enrolled = sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id)
    rows = db.session.execute(
        sa.select(Answer.attempt_id, Answer.question_key,
                  sa.cast(Answer.response, sa.Text).label("response"), Answer.fraction,
                  Answer.points)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .where(Attempt.quiz_id == quiz.id, Attempt.user_id.in_(enrolled),
               Attempt.status == "finished")).all()
    grouped: dict[int, dict[str, sa.Row]] = defaultdict(dict)
    for row in rows:
        grouped[row.attempt_id][row.question_key] = row
    return grouped


@lru_cache(maxsize=8192)
def _decode(stored: str | None) -> Any:
    """A stored response; the same few choices come back thousands of times."""
    return None if stored is None else json.loads(stored)


def _item_responses(attempts: list[sa.Row], answers: dict[int, dict[str, sa.Row]]
                    ) -> dict[str, list[tuple[ItemResponse, Any]]]:
    """Per question key: (fraction, points on the rest of the test) and the response, per
    attempt. Grading writes an answer row for every question an attempt showed, so the rows
    say which questions a drawn attempt held, without reading its snapshot."""
    found: dict[str, list[tuple[ItemResponse, Any]]] = defaultdict(list)
    for attempt in attempts:
        total = attempt.score_raw or 0.0
        for key, answer in answers.get(attempt.id, {}).items():
            rest = total - (answer.points or 0.0)
            found[key].append((ItemResponse(answer.fraction or 0.0, rest),
                               _decode(answer.response)))
    return found


def _choices(question: Question, responses: list[Any]) -> list[ChoiceCount]:
    if question.type == "true_false":
        right = "true" if question.type_data.get("answer") else "false"
        choices = [{"key": c["key"], "text": c["text"], "correct": c["key"] == right}
                   for c in TRUE_FALSE_CHOICES]
    else:
        choices = question.type_data.get("choices", [])
    picked: Counter[str] = Counter()
    for response in responses:
        for key in (response if isinstance(response, list) else [response]):
            picked[str(key)] += 1
    return [ChoiceCount(c["key"], c["text"], bool(c["correct"]), picked[c["key"]],
                        share(picked[c["key"]], len(responses))) for c in choices]


def _response_label(kind: str, response: Any) -> str:
    """A short answer as typed; a number as read, in the reader's format ("1.000,5" in
    Vietnamese, "1,000.5" in English), so "1000" and "1.000" count as one answer."""
    if kind == "numeric":
        value = response_value(response)
        return number(value, 6) if value is not None else collapse_whitespace(
            response_text(response))
    return collapse_whitespace(str(response))


def _top_responses(kind: str, pairs: list[tuple[ItemResponse, Any]]) -> list[ResponseCount]:
    given = [(_response_label(kind, r), item.fraction) for item, r in pairs if r]
    counts = Counter(text for text, _ in given)
    credit: dict[str, float] = defaultdict(float)
    for text, fraction in given:
        credit[text] += fraction
    return [ResponseCount(text, n, share(n, len(pairs)), credit[text] / n)
            for text, n in counts.most_common(TOP_RESPONSES)]


def _analyse(question: Question, pairs: list[tuple[ItemResponse, Any]]) -> QuestionAnalysis:
    responses = [r for _, r in pairs]
    unanswered = sum(1 for r in responses if r in (None, "", [], {}))
    choices = _choices(question, responses) if question.type in CHOICE_TYPES else []
    texts = _top_responses(question.type, pairs) if question.type in TEXT_TYPES else []
    return QuestionAnalysis(question, item_statistics(item for item, _ in pairs), choices,
                            texts, unanswered)


def quiz_analysis(cohort: Cohort, quiz: Quiz, selection: str) -> QuizAnalysis:
    questions = list(db.session.scalars(sa.select(Question).where(
        Question.quiz_id == quiz.id).order_by(Question.active.desc(), Question.position)))
    rows = _attempts(cohort, quiz)
    finished = [r for r in rows if r.status == "finished" and r.percent is not None]
    chosen_ids = {a.attempt_id for a in select_attempts(
        (AttemptScore(r.id, r.user_id, r.number, r.percent) for r in finished), selection)}
    chosen = [r for r in finished if r.id in chosen_ids]
    by_key = _item_responses(chosen, _answers(cohort, quiz))
    analysed = [_analyse(q, by_key.get(q.key, [])) for q in questions
                if q.active or q.key in by_key]
    return QuizAnalysis(quiz, selection, len(chosen), len({r.user_id for r in chosen}),
                        sum(1 for r in rows if r.status == "needs_grading"),
                        score_bins(r.percent for r in chosen), analysed)
