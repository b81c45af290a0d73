"""A trainer's reach ends at the trainees of their own cohorts (issue 18, items 1 and 2; rules in
course_app/domain/reach.py): trainer A may not enrol, reset, read or export a trainee of
trainer B's cohort, a roster preview tells A nothing about accounts outside A's reach, and
every refusal is audited."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from course_app.database import writing
from course_app.domain import reach
from course_app.extensions import db
from course_app.models import AuditEvent, Cohort, Enrolment, User
from course_app.people import accounts

from ..helpers import PASSWORD, post, sign_in


@pytest.fixture
def two_classes(cohort, make_user):
    """Cohort lop-1 taught by A, cohort lop-2 taught by B; b1 is B's trainee."""
    with writing():
        other = accounts.create_cohort("lop-2", "Lớp 2", "demo")
        db.session.commit()
    a = make_user("trainer", email="gv.a@example.vn", name="Giảng viên A", cohort=cohort)
    b = make_user("trainer", email="gv.b@example.vn", name="Giảng viên B", cohort=other)
    b1 = make_user("trainee", email="b1@example.vn", name="Trần Thị Bích", cohort=other)
    return {"a": a, "b": b, "b1": b1, "lop1": cohort, "lop2": other}


def signed_in(app, user: User):
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    return client


def enrolled_in(user: User) -> set[str]:
    return set(db.session.scalars(sa.select(Cohort.slug).join(
        Enrolment, Enrolment.cohort_id == Cohort.id).where(Enrolment.user_id == user.id)))


def audited(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def enrol(client, cohort: str, email: str, name: str = "Ai đó"):
    return post(client, f"/reports/cohorts/{cohort}/trainees",
                {"full_name": name, "email": email})


def test_rules_on_cohort_ids():
    assert reach.may_enrol_existing(False, {1}, set())      # an account in no cohort
    assert reach.may_enrol_existing(False, {1, 2}, {2})
    assert not reach.may_enrol_existing(False, {1}, {2})
    assert reach.may_enrol_existing(True, set(), {2})
    assert reach.may_reset_password(False, {1, 2}, {1, 2})
    assert not reach.may_reset_password(False, {1}, {1, 2})
    assert not reach.may_reset_password(False, {1}, set())
    assert reach.may_reset_password(True, set(), {1, 2})
    assert not reach.may_see_account(False, {1}, set())
    assert reach.may_see_account(False, {1}, {1, 2})


def test_a_trainer_cannot_take_over_a_trainee_of_another_class(app, two_classes):
    a, b1 = two_classes["a"], two_classes["b1"]
    client = signed_in(app, a)
    refused = enrol(client, "lop-1", b1.email)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert 'id="email-error"' in html and "Trần Thị Bích" not in html
    assert enrolled_in(b1) == {"lop-2"}
    [event] = audited("cohort.enrol_refused")
    assert event.actor_id == a.id and event.details["user_ids"] == [b1.id]
    # Nothing else of b1's is within A's reach either.
    base = f"/reports/cohorts/lop-1/trainees/{b1.id}"
    assert client.get(base).status_code == 404
    assert post(client, base + "/reset-password").status_code == 404
    assert accounts.authenticate(b1.email, PASSWORD) is not None


def test_an_admin_adds_a_trainee_of_another_class(app, two_classes, make_user):
    admin = make_user("admin", email="qtv@example.vn")
    added = enrol(signed_in(app, admin), "lop-1", two_classes["b1"].email)
    assert added.status_code == 302
    assert enrolled_in(two_classes["b1"]) == {"lop-1", "lop-2"}


def test_password_reset_needs_every_cohort_of_the_trainee(app, two_classes, make_user):
    a, b1 = two_classes["a"], two_classes["b1"]
    with writing():  # an administrator put b1 in A's class as well
        accounts.add_to_cohort(db.session.get(User, b1.id), db.session.merge(two_classes["lop1"]))
        db.session.commit()
    client = signed_in(app, a)
    base = f"/reports/cohorts/lop-1/trainees/{b1.id}"
    assert client.get(base).status_code == 200  # A still reads b1's work in A's own cohort
    refused = post(client, base + "/reset-password")
    assert refused.status_code == 302 and refused.headers["Location"].endswith(base)
    assert "flash flash-error" in client.get(base).get_data(as_text=True)
    assert accounts.authenticate(b1.email, PASSWORD) is not None
    [event] = audited("user.password_reset_refused")
    assert event.actor_id == a.id and event.details["user_id"] == b1.id
    assert not audited("user.password_reset")
    # Someone who teaches both cohorts, or an admin, may reset it.
    both = make_user("trainer", email="gv.ab@example.vn", cohort=two_classes["lop1"])
    with writing():
        accounts.add_to_cohort(db.session.get(User, both.id),
                               db.session.merge(two_classes["lop2"]))
        db.session.commit()
    assert post(signed_in(app, both), base + "/reset-password").status_code == 302
    assert accounts.authenticate(b1.email, PASSWORD) is None
    assert len(audited("user.password_reset")) == 1


CSV = ("full_name,email,unit,position\n"
       "Người Mới,moi@example.vn,,\n"
       "Tên Giả,b1@example.vn,,\n"
       "Tên Khác,gv.b@example.vn,,\n")
ROW = re.compile(r'<tr class="([^"]*)">\s*<th scope="row">(\d)</th>.*?'
                 r'<td class="status">(.*?)</td>', re.S)


def upload(client, text: str):
    return post(client, "/reports/cohorts/lop-1/enrol",
                {"file": (io.BytesIO(text.encode()), "danh-sach.csv")},
                content_type="multipart/form-data")


def test_the_roster_preview_tells_nothing_about_accounts_outside_reach(app, two_classes):
    client = signed_in(app, two_classes["a"])
    preview = upload(client, CSV)
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    rows = {number: (css, status) for css, number, status in ROW.findall(html)}
    assert rows["2"] == rows["3"] == rows["4"]  # unknown, another class's trainee, a trainer
    assert "Trần Thị Bích" not in html and "Giảng viên B" not in html
    [event] = audited("cohort.import_preview")
    assert event.actor_id == two_classes["a"].id and event.details["held"] == 2
    # The confirmation refuses the two rows, writes nothing and is audited.
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    confirmed = post(client, "/reports/cohorts/lop-1/enrol/confirm", {"token": token})
    assert confirmed.status_code == 400
    assert confirmed.get_data(as_text=True).count('class="errors"') == 2
    assert db.session.scalar(sa.select(User.id).where(User.email == "moi@example.vn")) is None
    assert enrolled_in(two_classes["b1"]) == {"lop-2"}
    [event] = audited("cohort.import_refused")
    assert set(event.details["user_ids"]) == {two_classes["b1"].id, two_classes["b"].id}
