"""Fill a freshly loaded database quickly: one trainer, a cohort of 500 trainees with progress,
finished attempts and certificates, and a pool of trainees for the submission scenario. Rows are
bulk-inserted; every trainee shares one precomputed argon2 hash with cheap parameters, so that
signing in hundreds of virtual users takes seconds (the real cost of a sign-in is not measured)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher

from course_app import create_app
from course_app.certificates.service import new_code
from course_app.database import writing
from course_app.domain.questions import get_type
from course_app.domain.scoring import QuestionResult, score_attempt
from course_app.domain.shuffle import attempt_seed, draw, shuffled
from course_app.extensions import db
from course_app.models import (
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
from course_app.models.types import utcnow

from .answers import correct_response, wrong_response

PASSWORD = "bench-password-123"  # noqa: S105 - throwaway accounts in a throwaway database
# Cheap parameters on purpose: the benchmark signs in ~2,000 virtual users before measuring.
SEED_HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
FINAL_QUIZ = "final-exam"
COHORT, POOL = "bench-500", "bench-pool"


@dataclass
class Trainee:
    email: str
    user_id: int
    attempt_id: int = 0  # the open final-exam attempt
    questions: list[dict[str, Any]] = field(default_factory=list)
    certificate: str | None = None


@dataclass
class Seeded:
    course: str
    lessons: list[str]
    trainer: str
    cohort: list[Trainee]
    pool: list[Trainee]
    final_quiz_id: int

    @property
    def certificates(self) -> list[Trainee]:
        return [t for t in self.cohort if t.certificate]


class Seeder:
    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.now = utcnow()
        self.course = db.session.scalar(sa.select(Course).order_by(Course.id))
        self.modules = list(db.session.scalars(sa.select(Module).where(
            Module.course_id == self.course.id).order_by(Module.position)))
        self.lessons = list(db.session.scalars(sa.select(Lesson).join(Module).where(
            Lesson.course_id == self.course.id).order_by(Module.position, Lesson.position)))
        quizzes = list(db.session.scalars(sa.select(Quiz).where(Quiz.course_id == self.course.id)))
        self.final = next(q for q in quizzes if q.slug == FINAL_QUIZ)
        self.module_quiz = {q.module_id: q for q in quizzes if q.module_id is not None}
        self.questions = {q.id: list(db.session.scalars(sa.select(Question).where(
            Question.quiz_id == q.id, Question.active.is_(True)).order_by(Question.position)))
            for q in quizzes}

    def users(self, prefix: str, count: int, role: str = "trainee") -> list[Trainee]:
        rows = [{"email": f"{prefix}{i:05d}@bench.example.vn", "full_name": f"Học viên {i:05d}",
                 "unit": f"Phòng {i % 23 + 1}", "role": role, "password_hash": SEED_HASH}
                for i in range(count)]
        ids = db.session.scalars(sa.insert(User).returning(User.id, sort_by_parameter_order=True),
                                 rows).all()
        return [Trainee(row["email"], user_id) for row, user_id in zip(rows, ids, strict=True)]

    def cohort(self, slug: str, trainees: list[Trainee], trainer_id: int | None) -> None:
        cohort = Cohort(slug=slug, name=f"Lớp {slug}", course_id=self.course.id)
        db.session.add(cohort)
        db.session.flush()
        db.session.execute(sa.insert(Enrolment), [
            {"cohort_id": cohort.id, "user_id": t.user_id} for t in trainees])
        if trainer_id is not None:
            db.session.execute(sa.insert(cohort_trainer).values(cohort_id=cohort.id,
                                                                user_id=trainer_id))

    def snapshot(self, quiz: Quiz, seed: int) -> list[dict[str, Any]]:
        """As the app's start_attempt builds it (quiz/attempts.py: _snapshot)."""
        by_key = {q.key: q for q in self.questions[quiz.id]}
        keys = draw(list(by_key), quiz.draw, seed)
        if quiz.shuffle_questions:
            keys = shuffled(keys, seed)
        return [{"question_id": by_key[k].id, "key": k, "type": by_key[k].type,
                 "version": by_key[k].version, "text": by_key[k].text,
                 "points": by_key[k].points, "explanation": by_key[k].explanation,
                 "type_data": by_key[k].type_data} for k in keys]

    def attempt_row(self, user_id: int, quiz: Quiz, number: int) -> dict[str, Any]:
        seed = attempt_seed(user_id, quiz.id, number, self.secret)
        deadline = (self.now + timedelta(minutes=quiz.time_limit_minutes)
                    if quiz.time_limit_minutes else None)
        return {"user_id": user_id, "quiz_id": quiz.id, "number": number, "seed": seed,
                "status": "in_progress", "questions": self.snapshot(quiz, seed),
                "started_at": self.now, "deadline_at": deadline}

    def graded(self, row: dict[str, Any], right: bool) -> list[dict[str, Any]]:
        """Grade a finished attempt row in place; return its answer rows."""
        answers, results = [], []
        for question in row["questions"]:
            kind = get_type(question["type"])
            choose = correct_response if right else wrong_response
            response = choose(question["type"], question["type_data"])
            grade = kind.grade(question["type_data"], response)
            answers.append({"question_key": question["key"], "response": response,
                            "saved_at": self.now, "fraction": grade.fraction,
                            "points": round(grade.fraction * question["points"], 4),
                            "needs_manual": grade.needs_manual, "feedback": list(grade.feedback)})
            results.append(QuestionResult(question["points"], grade.fraction, grade.needs_manual))
        score = score_attempt(results)
        row.update(status="needs_grading" if score.needs_grading else "finished",
                   submitted_at=self.now, score_raw=score.raw, score_max=score.max,
                   percent=score.percent, deadline_at=None)
        return answers

    def insert_attempts(self, rows: list[dict[str, Any]],
                        answers: list[list[dict[str, Any]]]) -> list[int]:
        ids = db.session.scalars(sa.insert(Attempt).returning(
            Attempt.id, sort_by_parameter_order=True), rows).all()
        flat = [dict(a, attempt_id=i) for i, group in zip(ids, answers, strict=True)
                for a in group]
        if flat:
            db.session.execute(sa.insert(Answer), flat)
        return list(ids)

    def progress(self, cohort: list[Trainee]) -> None:
        """Trainee i has done i % 7 modules (every fifth trainee: all, and the certificate)."""
        reads, finished, answers = [], [], []
        for index, trainee in enumerate(cohort):
            complete = index % 5 == 0
            done = len(self.modules) if complete else index % (len(self.modules) + 1)
            modules = {m.id for m in self.modules[:done]}
            reads += [{"user_id": trainee.user_id, "lesson_id": lesson.id, "read_at": self.now}
                      for lesson in self.lessons if lesson.module_id in modules]
            quizzes = [self.module_quiz[m] for m in modules if m in self.module_quiz]
            quizzes += [self.final] if complete else []
            for quiz in quizzes:
                row = self.attempt_row(trainee.user_id, quiz, 1)
                answers.append(self.graded(row, right=complete or index % 3 != 0))
                finished.append(row)
        db.session.execute(sa.insert(LessonProgress), reads)
        self.insert_attempts(finished, answers)

    def open_final_attempts(self, trainees: list[Trainee]) -> None:
        done = dict(db.session.execute(
            sa.select(Attempt.user_id, sa.func.count(Attempt.id)).where(
                Attempt.quiz_id == self.final.id).group_by(Attempt.user_id)).all())
        rows = [self.attempt_row(t.user_id, self.final, done.get(t.user_id, 0) + 1)
                for t in trainees]
        for trainee, row, attempt_id in zip(trainees, rows,
                                            self.insert_attempts(rows, [[] for _ in rows]),
                                            strict=True):
            trainee.attempt_id, trainee.questions = attempt_id, row["questions"]

    def certificates(self, cohort: list[Trainee]) -> None:
        holders = [t for i, t in enumerate(cohort) if i % 5 == 0]
        for trainee in holders:
            trainee.certificate = new_code()
        db.session.execute(sa.insert(Certificate), [{
            "code": t.certificate, "user_id": t.user_id, "course_id": self.course.id,
            "status": "valid", "issued_at": self.now, "holder_name": f"Học viên {t.email[6:11]}",
            "holder_unit": "Sở Văn hóa và Thể thao", "course_title": self.course.title,
            "hours": self.course.estimated_hours, "score": 100.0} for t in holders])


def seed(url: str, secret: str, cohort_size: int = 500, pool_size: int = 1000) -> Seeded:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret})
    with app.app_context(), writing():
        seeder = Seeder(secret)
        trainer = seeder.users("trainer", 1, role="trainer")[0]
        cohort, pool = seeder.users("hocvien", cohort_size), seeder.users("pool", pool_size)
        seeder.cohort(COHORT, cohort, trainer.user_id)
        seeder.cohort(POOL, pool, None)
        seeder.progress(cohort)
        seeder.certificates(cohort)
        seeder.open_final_attempts(cohort + pool)
        db.session.commit()
        seeded = Seeded(seeder.course.slug, [lesson.slug for lesson in seeder.lessons],
                        trainer.email, cohort, pool, seeder.final.id)
        db.session.remove()
        db.engine.dispose()
    return seeded
