"""Certificate codes on the command line (issue 16): new codes never begin with "-", and every
command that takes a code accepts an existing one that does."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from course_app.certificates import service as certificates
from course_app.database import writing
from course_app.domain.certificates import may_hand_out, new_code
from course_app.extensions import db
from course_app.models import Certificate, Course


def test_a_drawn_code_beginning_with_a_dash_is_drawn_again():
    draws = iter(["-abc", "--x", "Abc-"])
    assert new_code(lambda: next(draws)) == "Abc-"
    assert not may_hand_out("-x") and not may_hand_out("") and may_hand_out("x-")


def test_new_codes_never_begin_with_a_dash(app, monkeypatch):
    # token_urlsafe gives "-" first about once in 64 draws: make it give it first every time.
    counter = itertools.count()
    monkeypatch.setattr(certificates.secrets, "token_urlsafe",
                        lambda n: ("-" if next(counter) % 2 == 0 else "A") + "b" * 31)
    assert all(not certificates.new_code().startswith("-") for _ in range(20))


def dashed_certificate(trainee, code: str) -> str:
    with writing():
        course = db.session.scalar(sa.select(Course).where(Course.slug == "demo"))
        made = certificates.issue_manually(trainee, course, "điểm danh", None)
        made.code = code
        db.session.commit()
    return code


DASHED = "-" + "a" * 31


@pytest.mark.parametrize("args", [
    ["revoke", DASHED, "--reason", "Thu hồi"],
    ["revoke", "--reason", "Thu hồi", DASHED],
    ["revoke", "--reason", "Thu hồi", "--", DASHED],
    ["reissue", DASHED, "--reason", "Sửa tên"],
    ["reissue", "--reason", "Sửa tên", "--", DASHED],
])
def test_commands_take_a_code_that_begins_with_a_dash(runner, trainee, args):
    dashed_certificate(trainee, DASHED)
    result = runner.invoke(args=["certificates", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    stored = db.session.scalar(sa.select(Certificate).where(Certificate.code == DASHED))
    db.session.refresh(stored)
    assert stored.status == ("revoked" if args[0] == "revoke" else "superseded")


def test_a_code_beginning_with_two_dashes_is_a_code_too(runner, trainee):
    code = dashed_certificate(trainee, "--" + "b" * 30)
    result = runner.invoke(args=["certificates", "revoke", code, "--reason", "x"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert certificates.verify(code).status == "revoked"
