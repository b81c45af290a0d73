"""Importing Moodle GIFT and Aiken question files into a quiz, and exporting a quiz as GIFT.

Everything is validated before anything is written: a file with a broken block imports nothing
unless the caller asks to keep the good questions. Questions are matched by key: a new key is
appended, a changed question gets a new version (attempts keep the version they showed), an
unchanged one is left alone. What a format cannot hold (points; an essay's rubric; Aiken's
explanations; short-answer options) is kept from the existing question, and a question whose
Vietnamese content did not change keeps its English translation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..content.aiken import parse_aiken
from ..content.gift import ImportResult, LineError, export_gift, parse_gift
from ..content.reader import MAX_FILE_BYTES, SLUG
from ..content.specs import QuestionSpec
from ..domain import quiz_rules
from ..domain.errors import ServiceError
from ..domain.i18n_text import TextError, tr_text
from ..domain.questions import form_field_clashes, get_type
from ..extensions import db
from ..models import Course, Question, Quiz
from ..people import audit
from ..people.accounts import get_course
from . import history
from .content_loader import question_hash
from .import_lines import line_finder
from .snapshots import snapshot

FORMATS = ("gift", "aiken")
MAX_IMPORT_BYTES = MAX_FILE_BYTES
PLACEHOLDER_RUBRIC = {"vi": "Chấm theo yêu cầu của câu hỏi (tệp nhập không có tiêu chí chấm).",
                      "en": "Grade against the question (the imported file had no rubric)."}
_KEPT_OPTIONS = {"short": ("case_sensitive", "ignore_diacritics"),
                 "essay": ("rubric", "min_words", "max_words")}


@dataclass
class ImportReport:
    quiz: Quiz
    quiz_created: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)  # new version, or brought back
    unchanged: list[str] = field(default_factory=list)
    skipped: list[LineError] = field(default_factory=list)  # broken blocks left out
    warnings: list[LineError] = field(default_factory=list)
    category: str | None = None


class ImportFailed(ServiceError):
    """Some blocks are broken (or none is usable): nothing was imported."""

    def __init__(self, errors: list[LineError], good: int) -> None:
        message = f"{len(errors)} error(s); nothing was imported" if errors else \
            "the file holds no question; nothing was imported"
        super().__init__("import_failed", message, errors=errors, good=good)
        self.errors = errors
        self.good = good


def decode(data: bytes) -> str:
    """The text of an uploaded or read file: at most MAX_IMPORT_BYTES of UTF-8."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ServiceError("too_large", f"the file is larger than {MAX_IMPORT_BYTES // 1024} KiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ServiceError("not_utf8", f"the file is not UTF-8 text (byte {error.start + 1}); "
                                       "save it as UTF-8") from None


def parse(text: str, fmt: str) -> ImportResult:
    if fmt not in FORMATS:
        raise ServiceError("bad_format", f"unknown format '{fmt}' (use gift or aiken)")
    return parse_gift(text) if fmt == "gift" else parse_aiken(text)


def find_quiz(course: Course, slug: str) -> Quiz | None:
    return db.session.scalar(sa.select(Quiz).where(Quiz.course_id == course.id, Quiz.slug == slug))


def import_questions(course_slug: str, quiz_slug: str, text: str, fmt: str, *,
                     keep_good: bool = False, title: str | None = None,
                     actor_id: int | None = None, source: str | None = None) -> ImportReport:
    """Validate every block, then create or update the quiz and its questions by key."""
    course = get_course(course_slug)
    if not SLUG.match(quiz_slug):
        raise ServiceError("bad_slug", f"quiz slug '{quiz_slug}' must use a-z, 0-9 and -")
    parsed = parse(text, fmt)
    quiz = find_quiz(course, quiz_slug)
    existing = {q.key: q for q in quiz.questions} if quiz else {}
    specs, errors = _validate(parsed, text, fmt, existing, quiz)
    if (errors and not keep_good) or not specs:
        raise ImportFailed(errors, len(specs))
    report = ImportReport(quiz=quiz or _new_quiz(course, quiz_slug, title, actor_id),
                          skipped=errors,
                          warnings=parsed.warnings, category=parsed.category)
    report.quiz_created = quiz is None
    if quiz is not None:
        _refresh_quiz(quiz, title, report)
    _write_questions(report, specs, existing)
    db.session.flush()
    audit.record("quiz.import", actor_id, f"quiz:{report.quiz.id}", course=course.slug,
                 quiz=quiz_slug, format=fmt, file=source, quiz_created=report.quiz_created,
                 created=report.created, updated=report.updated,
                 unchanged=len(report.unchanged),
                 skipped=[{"line": e.line, "message": e.message} for e in errors[:50]])
    return report


def _validate(parsed: ImportResult, text: str, fmt: str, existing: dict[str, Question],
              quiz: Quiz | None) -> tuple[list[QuestionSpec], list[LineError]]:
    """The usable questions, and every error with its line (parse and question errors)."""
    line_of = line_finder(text, fmt)
    specs: list[tuple[int, QuestionSpec]] = []
    errors = list(parsed.errors)
    for index, raw in enumerate(parsed.questions):
        spec, messages = _to_spec(raw, fmt, existing.get(raw["key"]))
        if spec is not None and quiz is not None and \
                not quiz_rules.may_hold_in(quiz.required, spec.type):
            spec, messages = None, [f"question {spec.key}: the quiz is required, and a required "
                                    "quiz cannot hold essay questions (certificates must never "
                                    "wait for a trainer)"]
        errors.extend(LineError(line_of(index), message) for message in messages)
        if spec is not None:
            specs.append((index, spec))
    kept = [(q.key, q.type) for q in existing.values()
            if q.active and q.key not in {s.key for _, s in specs}]
    clashes = set(form_field_clashes(kept + [(s.key, s.type) for _, s in specs]))
    for index, spec in specs:
        if spec.key in clashes:
            errors.append(LineError(line_of(index), f"question {spec.key}: its key clashes with "
                                    "the answer fields of a matching or ordering question"))
    good = [spec for _, spec in specs if spec.key not in clashes]
    return good, sorted(errors, key=lambda error: error.line)


def _to_spec(raw: dict[str, Any], fmt: str,
             row: Question | None) -> tuple[QuestionSpec | None, list[str]]:
    key, kind = raw["key"], get_type(raw["type"])
    authored = dict(raw)
    if kind.manual and "rubric" not in authored:
        authored["rubric"] = PLACEHOLDER_RUBRIC  # Moodle essays have none; graders need one
    type_data, problems = kind.normalise(authored)
    messages = [f"question {key}: {problem.message}" for problem in problems]
    try:
        text = tr_text(raw.get("text"))
        explanation = tr_text(raw["explanation"]) if raw.get("explanation") else {}
    except TextError as error:
        return None, [*messages, f"question {key}: {error.message}"]
    if messages:
        return None, messages
    spec = QuestionSpec(key, kind.name, 0, text, 1.0, explanation, type_data)
    if row is not None:
        _keep_from_existing(spec, row, fmt)
    return spec, []


def _keep_from_existing(spec: QuestionSpec, row: Question, fmt: str) -> None:
    """What the file format cannot say stays as it was."""
    spec.points = row.points
    if fmt == "aiken" and not spec.explanation:
        spec.explanation = dict(row.explanation or {})
    if spec.type != row.type:
        return
    if spec.type == "essay" and spec.type_data["rubric"] != PLACEHOLDER_RUBRIC:
        return  # the file gave a rubric after all
    for name in _KEPT_OPTIONS.get(spec.type, ()):
        spec.type_data[name] = row.type_data.get(name)
    if spec.type == "multiple" and row.type_data.get("all_or_nothing") and \
            vi_only(spec.type_data["choices"]) == vi_only(row.type_data["choices"]):
        spec.type_data["all_or_nothing"] = True  # GIFT wrote the default weights for it


def vi_only(value: Any) -> Any:
    """`value` with every {vi, en} text reduced to its Vietnamese string."""
    if isinstance(value, dict):
        if "vi" in value and set(value) <= {"vi", "en"}:
            return value["vi"]
        return {name: vi_only(item) for name, item in value.items()}
    if isinstance(value, list):
        return [vi_only(item) for item in value]
    return value


def _content(item: QuestionSpec | Question) -> Any:
    return vi_only([item.type, item.text, item.points, item.explanation, item.type_data])


def _new_quiz(course: Course, slug: str, title: str | None, actor_id: int | None) -> Quiz:
    """A new quiz starts as a draft that trainees do not see and certificates do not wait for
    (archived, never published, not required) until a trainer publishes it in the authoring
    pages; its first revision says it came from an import, so `content load` leaves it be."""
    last = db.session.scalar(sa.select(sa.func.max(Quiz.position)).where(
        Quiz.course_id == course.id))
    quiz = Quiz(course_id=course.id, slug=slug, title={"vi": (title or slug).strip() or slug},
                position=(last or 0) + 1, required=False, archived=True, description={})
    db.session.add(quiz)
    db.session.flush()
    history.record(course.id, "quiz", quiz.id, "import", snapshot("quiz", quiz), actor_id,
                   first=True)
    return quiz


def _refresh_quiz(quiz: Quiz, title: str | None, report: ImportReport) -> None:
    if title and title.strip() and quiz.title.get("vi") != title.strip():
        quiz.title = {"vi": title.strip()}
    if not history.is_new("quiz", quiz):  # a draft stays a draft until it is published
        quiz.archived = False


def _write_questions(report: ImportReport, specs: list[QuestionSpec],
                     existing: dict[str, Question]) -> None:
    position = max((q.position for q in existing.values()), default=-1)
    made: list[Question] = []
    for spec in specs:
        row = existing.get(spec.key)
        values = {"type": spec.type, "text": spec.text, "points": spec.points,
                  "explanation": spec.explanation, "type_data": spec.type_data,
                  "content_hash": question_hash(spec), "active": True}
        if row is None:
            position += 1
            row = Question(quiz_id=report.quiz.id, key=spec.key, position=position, **values)
            db.session.add(row)
            report.created.append(spec.key)
            made.append(row)
        elif _content(row) == _content(spec):
            if not row.active:
                row.active = True
                report.updated.append(spec.key)
            else:
                report.unchanged.append(spec.key)
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.version += 1  # attempts keep the snapshot of the version they showed
            report.updated.append(spec.key)
    db.session.flush()
    for row in made:  # first revision "import": `content load` never deactivates them
        history.record(report.quiz.course_id, "question", row.id, "import",
                       snapshot("question", row), None, first=True)


@dataclass
class ExportResult:
    text: str
    exported: list[str]
    skipped: list[str]  # questions GIFT cannot hold (named in comments of the file)


def export_quiz(course_slug: str, quiz_slug: str, actor_id: int | None = None) -> ExportResult:
    """The quiz's active questions as GIFT (Vietnamese text), in their order."""
    course = get_course(course_slug)
    quiz = find_quiz(course, quiz_slug)
    if quiz is None:
        raise ServiceError("unknown_quiz", f"unknown quiz '{quiz_slug}' in course '{course_slug}'")
    questions = [q for q in quiz.questions if q.active]
    text = export_gift([authoring(q) for q in questions])
    skipped = [q.key for q in questions if f"question {q.key} not exportable" in text]
    exported = [q.key for q in questions if q.key not in skipped]
    audit.record("quiz.export", actor_id, f"quiz:{quiz.id}", course=course.slug, quiz=quiz.slug,
                 format="gift", exported=len(exported), skipped=skipped)
    return ExportResult(text, exported, skipped)


def authoring(question: Question) -> dict[str, Any]:
    """A stored question back in authoring form (as in a quiz file)."""
    result: dict[str, Any] = {"key": question.key, "type": question.type,
                              "text": question.text, "points": question.points}
    if question.explanation:
        result["explanation"] = question.explanation
    result.update(get_type(question.type).to_authoring(question.type_data))
    return result
