"""Accounts, cohorts and enrolment."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import sqlalchemy as sa

from ..domain.errors import ServiceError
from ..extensions import db
from ..models import Cohort, Course, Enrolment, User
from ..models.types import utcnow
from ..security.passwords import hash_password, is_pending, password_problem, verify_password
from . import audit

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ROLES = ("trainee", "trainer", "admin")


def normalise_email(email: str) -> str:
    return unicodedata.normalize("NFC", email.strip()).lower()


def clean_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def check_password_rules(password: str) -> None:
    problem = password_problem(password)
    if problem == "too_short":
        raise ServiceError("password_too_short", "the password needs at least 10 characters")
    if problem == "too_long":
        raise ServiceError("password_too_long", "the password is longer than 256 characters")


def create_user(email: str, full_name: str, role: str, password: str, unit: str | None = None,
                position: str | None = None, must_change_password: bool = False,
                actor_id: int | None = None) -> User:
    email = normalise_email(email)
    if not EMAIL.match(email):
        raise ServiceError("bad_email", f"'{email}' is not a valid email address")
    if role not in ROLES:
        raise ServiceError("bad_role", f"role must be one of {', '.join(ROLES)}")
    if not clean_name(full_name):
        raise ServiceError("no_name", "the full name is required")
    if find_user(email) is not None:
        raise ServiceError("duplicate_email", f"an account with email {email} already exists")
    check_password_rules(password)
    user = User(email=email, full_name=clean_name(full_name), role=role,
                unit=clean_name(unit or "") or None, position=clean_name(position or "") or None,
                password_hash=hash_password(password), must_change_password=must_change_password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", actor_id, f"user:{user.id}", email=email, role=role)
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user when email and password match an active account; every failure costs the
    same (a disabled account is checked like an unknown one)."""
    user = find_user(email)
    usable = user is not None and user.active
    if not verify_password(user.password_hash if usable else None, password):
        return None
    return user


def password_pending(email: str) -> bool:
    """The active account of `email` was just imported and its one-time password is still
    being hashed (people/password_batch.py): it cannot sign in for a minute or so."""
    user = find_user(email)
    return user is not None and user.active and is_pending(user.password_hash)


def change_password(user: User, new_password: str) -> None:
    check_password_rules(new_password)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.session_version += 1  # every other session ends
    audit.record("user.password_change", user.id, f"user:{user.id}")


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    audit.record("auth.login", user.id, f"user:{user.id}")


def get_course(slug: str) -> Course:
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    if course is None:
        raise ServiceError("unknown_course", f"unknown course '{slug}'")
    return course


def get_cohort(slug: str) -> Cohort:
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.slug == slug))
    if cohort is None:
        raise ServiceError("unknown_cohort", f"unknown cohort '{slug}'")
    return cohort


def create_cohort(slug: str, name: str, course_slug: str, starts_on: date | None = None,
                  ends_on: date | None = None, actor_id: int | None = None) -> Cohort:
    if not SLUG.match(slug):
        raise ServiceError("bad_slug", f"cohort slug '{slug}' must use a-z, 0-9 and -")
    if db.session.scalar(sa.select(Cohort.id).where(Cohort.slug == slug)) is not None:
        raise ServiceError("duplicate_cohort", f"a cohort '{slug}' already exists")
    if starts_on and ends_on and ends_on < starts_on:
        raise ServiceError("bad_dates", "the end date is before the start date")
    if not clean_name(name):
        raise ServiceError("no_name", "the cohort name is required")
    course = get_course(course_slug)
    cohort = Cohort(slug=slug, name=clean_name(name), course_id=course.id, starts_on=starts_on,
                    ends_on=ends_on)
    db.session.add(cohort)
    db.session.flush()
    audit.record("cohort.create", actor_id, f"cohort:{cohort.id}", slug=slug, course=course_slug)
    return cohort


def add_to_cohort(user: User, cohort: Cohort, actor_id: int | None = None) -> None:
    """Trainees are enrolled; trainers and admins become the cohort's trainers."""
    if user.role == "trainee":
        exists = db.session.scalar(sa.select(Enrolment.id).where(
            Enrolment.cohort_id == cohort.id, Enrolment.user_id == user.id))
        if exists is None:
            db.session.add(Enrolment(cohort_id=cohort.id, user_id=user.id))
            audit.record("cohort.enrol", actor_id, f"cohort:{cohort.id}", user_id=user.id)
    elif user not in cohort.trainers:
        cohort.trainers.append(user)
        audit.record("cohort.assign_trainer", actor_id, f"cohort:{cohort.id}", user_id=user.id)
    db.session.flush()
