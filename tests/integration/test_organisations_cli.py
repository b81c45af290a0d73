"""`flask organisations create` and `list` (issue 19): the same service as the web pages; a
clear message and exit 1 on bad input, with nothing written."""

from __future__ import annotations

import sqlalchemy as sa

from course_app.extensions import db
from course_app.models import AuditEvent, Organisation


def run(runner, *args: str):
    return runner.invoke(args=list(args), catch_exceptions=False)


def count() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))


def test_create_and_list(runner, loaded):
    result = run(runner, "organisations", "create", "so-noi-vu", "--name-vi", "Sở Nội vụ",
                 "--name-en", "Department of Home Affairs", "--signatory-name", "Trần Văn Bình",
                 "--signatory-title", "Giám đốc", "--offers", "demo")
    assert result.exit_code == 0, result.output
    assert "created organisation so-noi-vu" in result.output
    made = db.session.scalar(sa.select(Organisation))
    assert made.name == {"vi": "Sở Nội vụ", "en": "Department of Home Affairs"}
    assert made.signatory_title == "Giám đốc" and [c.slug for c in made.courses] == ["demo"]
    [event] = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "organisation.create"))
    assert event.actor_id is None
    listed = run(runner, "organisations", "list")
    assert listed.exit_code == 0 and listed.output.splitlines() == [
        "so-noi-vu\tactive\tdemo\tSở Nội vụ"]


def test_bad_input_is_a_clear_error_and_writes_nothing(runner, loaded):
    assert run(runner, "organisations", "create", "so-y-te", "--name-vi", "Sở Y tế",
               "--name-en", "Health").exit_code == 0
    for args, message in (
            (("so-y-te", "--name-vi", "Khác", "--name-en", "Other"), "in use"),
            (("Sở Y Tế", "--name-vi", "Khác", "--name-en", "Other"), "lower-case"),
            (("khac", "--name-vi", " ", "--name-en", "Other"), "name_vi is required"),
            (("khac", "--name-vi", "Khác", "--name-en", "Other", "--offers", "nope"),
             "no course nope")):
        result = run(runner, "organisations", "create", *args)
        assert result.exit_code == 1, args
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert count() == 1
    missing = run(runner, "organisations", "create", "khac", "--name-vi", "Khác")
    assert missing.exit_code == 2 and "--name-en" in missing.output
