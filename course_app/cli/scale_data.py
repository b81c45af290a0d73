"""Precomputed rows for `flask dev seed-scale`: per quiz a few drawn question sets (variants)
and answer patterns (skills), each graded once with the domain's own rules, so that a million
attempts cost a dictionary copy each instead of a grading run and a JSON encoding.

Seeded attempts keep a compact question snapshot: the real keys, ids, types, versions, points
and grading data, with display texts left empty. A real snapshot weighs about 20 kB (both
languages, explanations, feedback); a million of them would take PostgreSQL over ten minutes to
compress and store. Review pages of seeded attempts render, with blank question texts."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from ..domain.questions import get_type
from ..domain.scoring import QuestionResult, score_attempt
from ..domain.shuffle import draw, shuffled
from ..models import Question, Quiz

SKILLS = (0.35, 0.5, 0.65, 0.8, 0.9, 1.0)  # chance of answering each question right
VARIANTS = 6  # question sets drawn per quiz
DISPLAY_FIELDS = frozenset({"text", "feedback", "explanation"})


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class AttemptTemplate:
    """One graded attempt of a quiz, ready to be copied for many trainees."""

    quiz_id: int
    seed: int
    questions: str  # the compact snapshot, as JSON
    answers: list[dict[str, Any]]  # answer rows without attempt_id, saved_at, graded_at
    status: str
    score_raw: float
    score_max: float
    percent: float


def _blank(value: Any, key: str = "") -> Any:
    """`value` with display texts emptied; short answers' accepted texts are grading data."""
    if key == "answers":
        return value
    if isinstance(value, dict):
        return {k: "" if k in DISPLAY_FIELDS else _blank(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_blank(item, key) for item in value]
    return value


def compact_snapshot(by_key: dict[str, Question], keys: list[str]) -> list[dict[str, Any]]:
    """The snapshot start_attempt would store for `keys`, with display texts left empty."""
    return [{"question_id": by_key[k].id, "key": k, "type": by_key[k].type,
             "version": by_key[k].version, "text": "", "points": by_key[k].points,
             "explanation": None, "type_data": _blank(by_key[k].type_data)} for k in keys]


def _right(kind: str, data: dict[str, Any]) -> Any:
    if kind in ("single", "multiple"):
        keys = [c["key"] for c in data["choices"] if c["correct"]]
        return keys[0] if kind == "single" else sorted(keys)
    if kind == "true_false":
        return "true" if data["answer"] else "false"
    if kind in ("short", "numeric"):
        best = max(data["answers"], key=lambda a: a["credit"])
        if kind == "short":
            return best["text"].replace("*", "")
        value = best["value"] if "value" in best else best["min"]
        return str(int(value)) if float(value).is_integer() else str(value)
    if kind == "matching":
        return dict(data["correct"])
    if kind == "ordering":
        return {item["key"]: index for index, item in enumerate(data["items"], start=1)}
    return "Bài viết thử của học viên: truyền thông địa phương theo cách làm mới."


def _wrong(kind: str, data: dict[str, Any]) -> Any:
    if kind in ("single", "multiple"):
        keys = [c["key"] for c in data["choices"] if not c["correct"]] or [None]
        return keys[0] if kind == "single" else sorted(k for k in keys[:1] if k)
    if kind == "true_false":
        return "false" if data["answer"] else "true"
    if kind == "numeric":
        return "-987654"
    if kind == "matching":
        options = [option["key"] for option in data["options"]]
        return {item: options[(options.index(option) + 1) % len(options)]
                for item, option in data["correct"].items()}
    if kind == "ordering":
        count = len(data["items"])
        return {item["key"]: count - index for index, item in enumerate(data["items"])}
    return "không biết"  # short answers and essays


def _answer(question: Question, right: bool, trainer_id: int) -> tuple[dict[str, Any],
                                                                         QuestionResult]:
    kind = get_type(question.type)
    response = (_right if right else _wrong)(question.type, question.type_data)
    grade = kind.grade(question.type_data, response)
    # Essays count as graded by the seeded trainer: every seeded attempt is finished.
    fraction = (1.0 if right else 0.5) if grade.needs_manual else grade.fraction
    row = {"question_key": question.key, "response": _dumps(response),
           "fraction": fraction, "points": round(fraction * question.points, 4),
           "needs_manual": False, "feedback": _dumps(list(grade.feedback)),
           "grader_comment": None, "graded_by_id": trainer_id if grade.needs_manual else None}
    return row, QuestionResult(question.points, fraction)


def _template(quiz: Quiz, by_key: dict[str, Question], seed: int, skill: float,
              trainer_id: int) -> AttemptTemplate:
    keys = draw(list(by_key), quiz.draw, seed)
    if quiz.shuffle_questions:
        keys = shuffled(keys, seed)
    chance = random.Random(seed * 31 + int(skill * 100))  # noqa: S311 (test data)  # nosec B311
    graded = [_answer(by_key[k], chance.random() < skill, trainer_id) for k in keys]
    score = score_attempt([result for _, result in graded])
    return AttemptTemplate(quiz.id, seed, _dumps(compact_snapshot(by_key, keys)),
                           [row for row, _ in graded], "finished", score.raw, score.max,
                           score.percent)


def quiz_templates(quiz: Quiz, questions: list[Question], trainer_id: int,
                   rng: random.Random) -> list[AttemptTemplate]:
    """VARIANTS × SKILLS graded attempts of `quiz` (its active questions, in order)."""
    by_key = {q.key: q for q in questions}
    seeds = [rng.getrandbits(62) for _ in range(VARIANTS)]
    return [_template(quiz, by_key, seed, skill, trainer_id)
            for seed in seeds for skill in SKILLS]
