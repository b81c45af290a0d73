"""An organisation's administrator reaches only their organisation (issue 19; the rule in
course_app/domain/reach.py): its cohorts, its staff and the trainees of its cohorts, its
certificates. Another organisation's cohort, account or certificate is 404; a site
administrator (an admin of no organisation) reaches everything."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from course_app.certificates import service as certificates
from course_app.database import writing
from course_app.domain import reach
from course_app.extensions import db
from course_app.models import Course, User
from course_app.people import accounts

from ..helpers import sign_in
from ..organisation_helpers import join, make_organisation, place


def test_rules_on_organisation_ids():
    assert reach.reaches_organisation(None, None) and reach.reaches_organisation(None, 7)
    assert reach.reaches_organisation(7, 7)
    assert not reach.reaches_organisation(7, 8) and not reach.reaches_organisation(7, None)
    assert reach.may_administer_account(None, 3, [])
    assert reach.may_administer_account(7, 7, [])  # its staff
    assert reach.may_administer_account(7, None, [8, 7])  # a trainee of one of its cohorts
    assert not reach.may_administer_account(7, None, [8, None])
    assert not reach.may_administer_account(7, 8, [])


@pytest.fixture
def world(cohort, make_user):
    """lop-1 run by Sở Nội vụ, lop-2 by Sở Y tế; a trainee with a certificate in each."""
    ours = make_organisation()
    theirs = make_organisation("so-y-te", "Sở Y tế", "Department of Health")
    with writing():
        other = accounts.create_cohort("lop-2", "Lớp 2", "demo")
        db.session.commit()
    place(cohort, ours)
    place(other, theirs)
    mine = make_user("trainee", email="mine@example.vn", name="Lê Văn Mình", cohort=cohort)
    foreign = make_user("trainee", email="foreign@example.vn", name="Phạm Thị Khác",
                        cohort=other)
    course = db.session.scalar(sa.select(Course).where(Course.slug == "demo"))
    with writing():
        made = {u.email: certificates.issue_manually(db.session.get(User, u.id), course, "lý do",
                                                     None) for u in (mine, foreign)}
        db.session.commit()
    local_admin = join(make_user("admin", email="qt.noivu@example.vn"), ours)
    staff = join(make_user("trainer", email="gv.noivu@example.vn"), ours)
    health_staff = join(make_user("trainer", email="gv.yte@example.vn"), theirs)
    return {"ours": ours, "theirs": theirs, "mine": mine, "foreign": foreign, "admin":
            local_admin, "staff": staff, "health_staff": health_staff,
            "mine_code": made["mine@example.vn"].code,
            "foreign_code": made["foreign@example.vn"].code}


def client_of(app, user):
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    return client


def test_an_organisation_admin_gets_404_on_another_organisations_cohort(app, world):
    client = client_of(app, world["admin"])
    assert client.get("/reports/cohorts/lop-1").status_code == 200
    assert client.get("/reports/cohorts/lop-2").status_code == 404
    assert client.get("/reports/cohorts/lop-2/scores.csv").status_code in (404, 405)
    listing = client.get("/reports/").get_data(as_text=True)
    assert "/reports/cohorts/lop-1" in listing and "/reports/cohorts/lop-2" not in listing


def test_an_organisation_admin_cannot_open_another_organisations_issue_page(app, world):
    """The certificate office reads the cohorts an actor manages from people/reach.py too."""
    client = client_of(app, world["admin"])
    mine, foreign = world["mine"].id, world["foreign"].id
    assert client.get(f"/reports/cohorts/lop-1/trainees/{mine}/certificate/issue"
                      ).status_code == 200
    assert client.get(f"/reports/cohorts/lop-2/trainees/{foreign}/certificate/issue"
                      ).status_code == 404


def test_a_site_admin_reaches_every_cohort(app, world, make_user):
    client = client_of(app, make_user("admin", email="site@example.vn"))
    for slug in ("lop-1", "lop-2"):
        assert client.get(f"/reports/cohorts/{slug}").status_code == 200


def test_an_organisation_admin_sees_only_its_staff_and_trainees(app, world):
    client = client_of(app, world["admin"])
    page = client.get("/admin/users").get_data(as_text=True)
    for email in ("mine@example.vn", "gv.noivu@example.vn", "qt.noivu@example.vn"):
        assert email in page, email
    for email in ("foreign@example.vn", "gv.yte@example.vn"):
        assert email not in page, email
    assert client.get(f"/admin/users/{world['mine'].id}").status_code == 200
    assert client.get(f"/admin/users/{world['foreign'].id}").status_code == 404
    assert client.get(f"/admin/users/{world['health_staff'].id}").status_code == 404


def test_an_organisation_admin_reaches_only_its_certificates(app, world):
    client = client_of(app, world["admin"])
    assert client.get(f"/certificates/{world['mine_code']}.pdf").status_code == 200
    assert client.get(f"/certificates/{world['foreign_code']}.pdf").status_code == 404
    admin = db.session.get(User, world["admin"].id)
    assert certificates.may_manage(admin, certificates.by_code(world["mine_code"]))
    assert not certificates.may_manage(admin, certificates.by_code(world["foreign_code"]))
    foreign = db.session.get(User, world["foreign"].id)
    with writing(), pytest.raises(certificates.NotFound):
        certificates.revoke(certificates.by_code(world["foreign_code"]), "sai", admin)
    course = db.session.scalar(sa.select(Course).where(Course.slug == "demo"))
    with writing(), pytest.raises(certificates.NotFound):
        certificates.issue_manually(foreign, course, "lý do", admin)
    db.session.rollback()
    assert certificates.by_code(world["foreign_code"]).status == "valid"


def test_an_organisation_admin_grades_only_its_cohorts_trainees(app, world):
    from ..web.test_grading import ESSAY, submitted

    theirs = submitted(world["foreign"], "reflection", {"q-e1": ESSAY})
    ours = submitted(world["mine"], "reflection", {"q-e1": ESSAY})
    client = client_of(app, world["admin"])
    queue = client.get("/grading/").get_data(as_text=True)
    assert f"/grading/attempts/{ours}" in queue and f"/grading/attempts/{theirs}" not in queue
    assert client.get(f"/grading/attempts/{ours}").status_code == 200
    assert client.get(f"/grading/attempts/{theirs}").status_code == 404


def test_an_organisation_admin_never_makes_a_site_admin(app, world):
    from ..helpers import post

    client = client_of(app, world["admin"])
    mine = world["mine"]
    assert post(client, f"/admin/users/{mine.id}/role", {"role": "admin"}).status_code == 302
    db.session.expire_all()
    promoted = db.session.get(User, mine.id)
    assert promoted.role == "admin" and promoted.organisation_id == world["ours"].id
    assert post(client, f"/admin/users/{world['foreign'].id}/role",
                {"role": "admin"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(User, world["foreign"].id).role == "trainee"


def test_the_organisations_page_runs_a_fixed_number_of_queries(app, loaded, make_user,
                                                               count_queries):
    client = client_of(app, make_user("admin", email="site@example.vn"))
    make_organisation()
    client.get("/admin/organisations")
    with count_queries() as one:
        assert client.get("/admin/organisations").status_code == 200
    for n in range(4):
        make_organisation(f"don-vi-{n}", f"Đơn vị {n}", f"Unit {n}")
    with count_queries() as five:
        assert client.get("/admin/organisations").status_code == 200
    assert len(five) == len(one)
