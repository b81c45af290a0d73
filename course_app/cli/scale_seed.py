"""The writer behind `flask dev seed-scale`: trainees, cohorts, lesson progress, attempts with
their answers and certificates for one course, as bulk inserts of prepared rows in batches.
It only flushes; the command commits once (cli/common.py)."""

from __future__ import annotations

import json
import math
import random
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import click
import sqlalchemy as sa

from ..certificates.service import new_code
from ..extensions import db
from ..models import (
    Answer,
    Attempt,
    Certificate,
    Cohort,
    Course,
    Enrolment,
    Lesson,
    LessonProgress,
    Module,
    Question,
    Quiz,
    User,
    cohort_trainer,
)
from ..models.types import UTCDateTime
from ..security.passwords import hash_password
from .scale_data import AttemptTemplate, quiz_templates

DOMAIN = "scale.example.vn"
COHORT_PREFIX = "scale-"
LOADED_TABLES = ("user", "cohort", "cohort_trainer", "enrolment", "lesson_progress", "attempt",
                 "answer", "certificate")
BATCH = 1000  # trainees per batch (about 14 answers per attempt, 10 attempts per trainee)
UNLIMITED_ATTEMPTS = 3  # attempts seeded per trainee for a quiz without max_attempts
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ")
MIDDLE = ("Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hằng", "Hùng", "Lan", "Long", "Mai", "Nam",
         "Phương", "Quang", "Thảo", "Trang", "Tuấn")
UNITS = ("Sở Văn hóa và Thể thao", "Sở Du lịch", "Sở Ngoại vụ", "Sở Thông tin và Truyền thông",
         "Ban Tuyên giáo Thành ủy", "Báo Hải Phòng", "Đài Phát thanh và Truyền hình",
         "UBND quận Ngô Quyền", "UBND quận Lê Chân", "UBND huyện Cát Hải")


def _light(table: sa.Table) -> sa.TableClause:
    """`table` for bulk inserts of prepared values: JSON columns take JSON text as it is and
    times take naive UTC datetimes, so no value is converted again per row."""
    columns = []
    for column in table.columns:
        if isinstance(column.type, sa.JSON):
            columns.append(sa.column(column.name))
        elif isinstance(column.type, UTCDateTime):
            columns.append(sa.column(column.name, sa.DateTime()))
        else:
            columns.append(sa.column(column.name, column.type))
    return sa.table(table.name, *columns)


def _next_id(model: Any) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def _insert(model: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        db.session.execute(sa.insert(_light(model.__table__)), rows)


class ScaleSeeder:
    """Writes trainees, cohorts, progress, attempts and certificates for one course."""

    def __init__(self, course: Course, cohort_size: int, rng: random.Random,
                 password: str) -> None:
        self.course, self.cohort_size, self.rng = course, cohort_size, rng
        self.now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        self.password_hash = hash_password(password)
        modules = db.session.scalars(sa.select(Module.id).where(
            Module.course_id == course.id, Module.archived.is_(False)).order_by(Module.position))
        self.modules = list(modules)
        self.lessons = db.session.execute(sa.select(Lesson.id, Lesson.module_id).where(
            Lesson.course_id == course.id, Lesson.archived.is_(False))).all()
        self.quizzes = list(db.session.scalars(sa.select(Quiz).where(
            Quiz.course_id == course.id, Quiz.archived.is_(False))
            .order_by(Quiz.position, Quiz.id)))
        self.slots = self._slots()
        self.templates: dict[int, list[AttemptTemplate]] = {}

    def _slots(self) -> list[tuple[int, int]]:
        """(quiz id, attempt number) in the order a trainee takes them: every quiz once, then
        second attempts, and so on up to each quiz's limit."""
        limits = {q.id: q.max_attempts or UNLIMITED_ATTEMPTS for q in self.quizzes}
        return [(q.id, number) for number in range(1, max(limits.values(), default=0) + 1)
                for q in self.quizzes if number <= limits[q.id]]

    def run(self, trainees: int, attempts: int) -> None:
        trainer_id = self._trainer()
        for quiz in self.quizzes:
            questions = list(db.session.scalars(sa.select(Question).where(
                Question.quiz_id == quiz.id, Question.active.is_(True))
                .order_by(Question.position)))
            self.templates[quiz.id] = quiz_templates(quiz, questions, trainer_id, self.rng)
        cohorts = self._cohorts(math.ceil(trainees / self.cohort_size), trainer_id)
        first_user, first_attempt = _next_id(User), _next_id(Attempt)
        per_trainee, extra = divmod(attempts, trainees) if trainees else (0, 0)
        with click.progressbar(length=trainees, label="Trainees and their attempts") as bar:
            for start in range(0, trainees, BATCH):
                stop = min(start + BATCH, trainees)
                counts = [per_trainee + (index < extra) for index in range(start, stop)]
                self._batch(range(start, stop), first_user, cohorts, counts, first_attempt)
                first_attempt += sum(counts)
                bar.update(stop - start)
                _log_progress(stop, trainees)
        self._after_load()

    def _trainer(self) -> int:
        user_id = _next_id(User)
        _insert(User, [self._user(user_id, f"giangvien@{DOMAIN}", "Giảng viên Lớp Thử", "trainer",
                                  UNITS[4])])
        return user_id

    def _user(self, user_id: int, email: str, name: str, role: str, unit: str) -> dict[str, Any]:
        return {"id": user_id, "email": email, "full_name": name, "unit": unit, "position": None,
                "role": role, "password_hash": self.password_hash, "active": True,
                "session_version": 1, "must_change_password": False,  # a flag  # nosec B105
                "locale": None,
                "created_at": self.now, "last_login_at": None}

    def _cohorts(self, count: int, trainer_id: int) -> list[int]:
        first = _next_id(Cohort)
        ids = list(range(first, first + count))
        _insert(Cohort, [{"id": cohort_id, "slug": f"{COHORT_PREFIX}{n:05d}",
                          "name": f"Lớp thử quy mô {n}", "course_id": self.course.id,
                          "starts_on": None, "ends_on": None, "created_at": self.now}
                         for n, cohort_id in enumerate(ids, start=1)])
        db.session.execute(sa.insert(cohort_trainer), [
            {"cohort_id": cohort_id, "user_id": trainer_id} for cohort_id in ids])
        return ids

    def _modules_done(self, index: int) -> int:
        return index % (len(self.modules) + 1)

    def _batch(self, indexes: range, first_user: int, cohorts: list[int], counts: list[int],
               first_attempt: int) -> None:
        users = [self._user(first_user + i, f"hocvien{i + 1:06d}@{DOMAIN}", _name(i), "trainee",
                            UNITS[i % len(UNITS)]) for i in indexes]
        _insert(User, users)
        _insert(Enrolment, [{"cohort_id": cohorts[i // self.cohort_size],
                             "user_id": first_user + i, "created_at": self.now}
                            for i in indexes])
        _insert(LessonProgress, self._reads(indexes, first_user))
        attempts, answers = self._attempts(indexes, first_user, counts, first_attempt)
        _insert(Attempt, attempts)
        _insert(Answer, answers)
        _insert(Certificate, self._certificates(indexes, users))

    def _reads(self, indexes: range, first_user: int) -> list[dict[str, Any]]:
        rows = []
        for i in indexes:
            done = set(self.modules[:self._modules_done(i)])
            rows += [{"user_id": first_user + i, "lesson_id": lesson_id,
                      "read_at": self.now - timedelta(days=i % 60)}
                     for lesson_id, module_id in self.lessons if module_id in done]
        return rows

    def _attempts(self, indexes: range, first_user: int, counts: list[int],
                  attempt_id: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        attempts: list[dict[str, Any]] = []
        answers: list[dict[str, Any]] = []
        for i, count in zip(indexes, counts, strict=True):
            for quiz_id, number in self.slots[:count]:
                template = self.rng.choice(self.templates[quiz_id])
                started = self.now - timedelta(days=i % 60, hours=number)
                submitted = started + timedelta(minutes=12)
                attempts.append({
                    "id": attempt_id, "user_id": first_user + i, "quiz_id": quiz_id,
                    "number": number, "status": template.status, "seed": template.seed,
                    "questions": template.questions, "started_at": started,
                    "deadline_at": None, "submitted_at": submitted,
                    "score_raw": template.score_raw, "score_max": template.score_max,
                    "percent": template.percent})
                answers += [dict(row, attempt_id=attempt_id, saved_at=submitted,
                                 graded_at=submitted if row["graded_by_id"] else None)
                            for row in template.answers]
                attempt_id += 1
        return attempts, answers

    def _certificates(self, indexes: range, users: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Every other trainee who has read the whole course holds a certificate."""
        return [{"code": new_code(), "user_id": user["id"], "course_id": self.course.id,
                 "status": "valid", "issued_at": self.now, "expires_at": None,
                 "holder_name": user["full_name"], "holder_unit": user["unit"],
                 "course_title": _json(self.course.title), "hours": self.course.estimated_hours,
                 "score": 85.0, "issue_reason": None, "issued_by_id": None, "revoked_at": None,
                 "revoke_reason": None, "superseded_by_id": None, "issuer": None}
                for i, user in zip(indexes, users, strict=True)
                if self._modules_done(i) == len(self.modules) and i % 2 == 0]

    def _after_load(self) -> None:
        """Ids were given explicitly: move PostgreSQL's sequences past them. Then refresh the
        planner's statistics: planned for the tables as they were (nearly empty), the report
        queries scan a million rows for seconds until autovacuum analyses them."""
        postgresql = db.engine.dialect.name == "postgresql"
        for table in ("user", "cohort", "attempt") if postgresql else ():
            db.session.execute(sa.text(  # table names from the tuple above
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608  # nosec B608
                f"(SELECT max(id) FROM \"{table}\"))"))
        for table in LOADED_TABLES:
            db.session.execute(sa.text(f'ANALYZE "{table}"'))


def _log_progress(done: int, total: int) -> None:
    """Without a terminal the bar stays hidden: print a count every tenth of the way."""
    step = max(BATCH, total // 10)
    if not sys.stdout.isatty() and (done % step < BATCH or done == total):
        click.echo(f"  {done}/{total} trainees written")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _name(index: int) -> str:
    return (f"{FAMILY[index % len(FAMILY)]} {MIDDLE[index // 10 % len(MIDDLE)]} "
            f"{GIVEN[index // 60 % len(GIVEN)]}")
