"""Bulk enrolment on the database and through `flask users import`: all rows or none, existing
accounts enrolled, one-time passwords that must be changed, 500 rows at once."""

from __future__ import annotations

import csv
import io
import stat
import unicodedata
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from course_app import jobs
from course_app.database import writing
from course_app.domain.errors import ServiceError
from course_app.extensions import db
from course_app.models import AuditEvent, Enrolment, User
from course_app.people import accounts, roster
from course_app.reports import cohorts
from course_app.security.passwords import is_pending
from course_app.transaction import run_after_commit

ROSTER = Path(__file__).parent.parent / "fixtures" / "roster"
UNITS = ["Sở Văn hóa và Thể thao", "Sở Ngoại vụ", "Ban Tuyên giáo Thành ủy", "UBND quận Lê Chân",
         "Sở Du lịch"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = ["Hằng", "Đức", "Hương", "Minh", "Lan", "Quỳnh", "Tuấn", "Thảo", "Việt", "Ánh"]


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def import_file(path: Path, cohort, actor=None, wait=True):
    """Import as a request does (one commit, then the work it started); with `wait`, until the
    in-process job has hashed the one-time passwords."""
    parsed = roster.parse_roster(path.read_bytes(), path.name)
    with writing():
        result = roster.import_roster(parsed, db.session.merge(cohort), actor)
        db.session.commit()
        run_after_commit()
    if wait:
        jobs.wait_in_process()
    return result


def officials_csv(n: int, broken: dict[int, str] | None = None) -> bytes:
    """n officials; `broken` maps a spreadsheet row number to the line that replaces it."""
    lines = ["full_name,email,unit,position"]
    for i in range(n):
        name = f"{SURNAMES[i % 10]} Thị {GIVEN[(i // 10) % 10]} {i}"
        lines.append(f"{name},canbo{i:03d}@haiphong.gov.vn,{UNITS[i % 5]},Chuyên viên")
    for row, line in (broken or {}).items():
        lines[row - 1] = line
    return ("\n".join(lines) + "\n").encode("utf-8-sig")


def test_import_creates_trainees_with_one_time_passwords(app, cohort):
    result = import_file(ROSTER / "semicolon.csv", cohort)
    assert (result.created, result.enrolled_existing, result.already_enrolled) == (2, 0, 0)
    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    huong = users["huong.pq@haiphong.gov.vn"]
    assert huong.full_name == unicodedata.normalize("NFC", "Phạm Quỳnh Hương")
    assert huong.role == "trainee" and huong.must_change_password
    assert (huong.unit, huong.position) == ("UBND quận Lê Chân", "Cán bộ")
    credential = next(c for c in result.credentials if c.email == huong.email)
    assert accounts.authenticate(huong.email, credential.password) is not None
    assert count(Enrolment) == 2
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "cohort.import"))
    assert event.details["created"] == 2 and event.details["file"] == "semicolon.csv"


def test_existing_email_enrols_the_existing_account_unchanged(app, cohort, make_user):
    existing = make_user("trainee", email="hang.nt@haiphong.gov.vn", name="Nguyễn T. Hằng",
                         unit="Sở cũ")
    already = make_user("trainee", email="duc.tv@haiphong.gov.vn", cohort=cohort)
    parsed = roster.parse_roster((ROSTER / "bom_comma.csv").read_bytes(), "bom_comma.csv")
    roster.check_accounts(parsed, cohort)
    assert [r.status for r in parsed.rows] == ["existing", "enrolled", "new"]
    assert parsed.rows[0].account_name == "Nguyễn T. Hằng"
    db.session.rollback()
    result = import_file(ROSTER / "bom_comma.csv", cohort)
    assert (result.created, result.enrolled_existing, result.already_enrolled) == (1, 1, 1)
    assert [c.email for c in result.credentials] == ["anh.lm@haiphong.gov.vn"]
    kept = db.session.get(User, existing.id)
    assert (kept.full_name, kept.unit, kept.must_change_password) == ("Nguyễn T. Hằng", "Sở cũ",
                                                                      False)
    enrolled = set(db.session.scalars(sa.select(Enrolment.user_id)))
    assert {existing.id, already.id} <= enrolled and len(enrolled) == 3


def test_one_broken_row_writes_nothing(app, cohort):
    parsed = roster.parse_roster((ROSTER / "broken.csv").read_bytes(), "broken.csv")
    with writing(), pytest.raises(ServiceError) as raised:
        roster.import_roster(parsed, cohort)
    db.session.rollback()
    assert raised.value.code == "roster_invalid"
    assert [e.row for e in raised.value.params["errors"]] == [3, 5, 6]
    assert count(User) == 0 and count(Enrolment) == 0


@pytest.mark.parametrize("role", ["trainer", "admin"])
def test_staff_accounts_are_never_enrolled_as_trainees(app, cohort, make_user, role):
    make_user(role, email="hang.nt@haiphong.gov.vn")
    parsed = roster.parse_roster((ROSTER / "bom_comma.csv").read_bytes(), "x.csv")
    with writing(), pytest.raises(ServiceError):
        roster.import_roster(parsed, cohort)
    db.session.rollback()
    assert [(e.row, e.column, e.code) for e in parsed.errors] == [(2, "email", "not_trainee")]
    assert count(Enrolment) == 0 and count(User) == 1


def test_disabled_account_is_an_error(app, cohort, make_user):
    user = make_user("trainee", email="anh.lm@haiphong.gov.vn")
    with writing():
        db.session.get(User, user.id).active = False
        db.session.commit()
    parsed = roster.parse_roster((ROSTER / "bom_comma.csv").read_bytes(), "x.csv")
    roster.check_accounts(parsed, cohort)
    assert [(e.row, e.code) for e in parsed.errors] == [(4, "inactive")]


def test_add_remove_and_reset_one_trainee(app, cohort, make_user):
    with writing():
        live = db.session.merge(cohort)
        added = cohorts.add_trainee(live, "Ngô Việt", "viet@example.vn", "Sở Y tế", None, None)
        db.session.commit()
    assert added.created == 1 and added.credentials[0].password
    user = accounts.find_user("viet@example.vn")
    with writing(), pytest.raises(ServiceError) as again:
        cohorts.add_trainee(db.session.merge(cohort), "Ngô Việt", "VIET@example.vn", None, None,
                            None)
    db.session.rollback()
    assert again.value.code == "already_enrolled"
    with writing():
        version = user.session_version
        credential = cohorts.reset_password(db.session.merge(cohort), user, None)
        db.session.commit()
    refreshed = db.session.get(User, user.id)
    assert refreshed.must_change_password and refreshed.session_version == version + 1
    assert accounts.authenticate("viet@example.vn", credential.password) is not None
    assert accounts.authenticate("viet@example.vn", added.credentials[0].password) is None
    with writing():
        cohorts.remove_trainee(db.session.merge(cohort), refreshed, None)
        db.session.commit()
    assert count(Enrolment) == 0 and count(User) == 1  # the account stays
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"cohort.enrol", "user.password_reset", "cohort.unenrol"} <= actions


def test_reset_refuses_staff(app, cohort, make_user):
    trainer = make_user("trainer", cohort=cohort)
    with writing(), pytest.raises(ServiceError):
        cohorts.reset_password(cohort, db.session.get(User, trainer.id), None)


# --- the command line ------------------------------------------------------------------------

def invoke(runner, *args):
    return runner.invoke(args=["users", "import", *map(str, args)], catch_exceptions=False)


def test_cli_import_writes_a_private_credentials_csv(runner, cohort, tmp_path):
    out = tmp_path / "mat-khau.csv"
    result = invoke(runner, ROSTER / "bom_comma.csv", "--cohort", "lop-1", "--credentials", out)
    assert result.exit_code == 0, result.output
    assert "3 new accounts" in result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    # In Vietnamese list order (given name first: Anh, Đức, Hằng), not the file's.
    assert [r["email"] for r in rows] == ["anh.lm@haiphong.gov.vn", "duc.tv@haiphong.gov.vn",
                                          "hang.nt@haiphong.gov.vn"]
    assert rows[2]["full_name"] == "Nguyễn Thị Hằng"
    assert accounts.authenticate(rows[1]["email"], rows[1]["password"]) is not None


def test_cli_without_credentials_file_prints_the_sheet(runner, cohort):
    result = invoke(runner, ROSTER / "semicolon.csv", "--cohort", "lop-1")
    assert result.exit_code == 0, result.output
    assert "lan.dt@haiphong.gov.vn" in result.output and "One-time passwords" in result.output


def test_cli_dry_run_shows_every_row_and_writes_nothing(runner, cohort):
    result = invoke(runner, ROSTER / "bom_comma.csv", "--cohort", "lop-1", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "row 2: new account: Nguyễn Thị Hằng <hang.nt@haiphong.gov.vn>" in result.output
    assert "row 4: new account" in result.output and "nothing was written" in result.output
    assert count(User) == 0


def test_cli_errors_name_file_row_and_column_and_exit_1(runner, cohort):
    path = ROSTER / "broken.csv"
    result = invoke(runner, path, "--cohort", "lop-1")
    assert result.exit_code == 1
    assert f"{path}:3: full_name: full_name is empty" in result.output
    assert f"{path}:5: email: 'nam.hv@haiphong' is not an email address" in result.output
    assert f"{path}:6: email: the same email is on row 2" in result.output
    assert "3 error(s); nothing was imported." in result.output
    assert count(User) == 0


def test_cli_unknown_cohort_and_existing_output(runner, cohort, tmp_path):
    result = invoke(runner, ROSTER / "bom_comma.csv", "--cohort", "nope")
    assert result.exit_code == 1 and "unknown cohort 'nope'" in result.output
    taken = tmp_path / "taken.csv"
    taken.write_text("keep me")
    result = invoke(runner, ROSTER / "bom_comma.csv", "--cohort", "lop-1", "--credentials", taken)
    assert result.exit_code == 1 and "already exists" in result.output
    assert taken.read_text() == "keep me" and count(User) == 0


def test_cli_xlsx(runner, cohort, tmp_path):
    workbook = Workbook()
    workbook.active.append(["full_name", "email", "unit", "position"])
    workbook.active.append(["Vũ Thảo", "thao@example.vn", "Sở Ngoại vụ", "Chuyên viên"])
    path = tmp_path / "danh-sach.xlsx"
    workbook.save(path)
    result = invoke(runner, path, "--cohort", "lop-1")
    assert result.exit_code == 0, result.output
    assert accounts.find_user("thao@example.vn").unit == "Sở Ngoại vụ"


@pytest.mark.slow
def test_500_officials_three_broken_rows_then_fixed(runner, cohort, tmp_path, monkeypatch):
    # About rows, errors and counts: the hashes' strength is proven by the test below, so the
    # job's hasher is a cheap one here (500 full-strength hashes take minutes on 2 busy cores).
    from argon2 import PasswordHasher

    from course_app.people import password_batch
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(password_batch, "hash_password", cheap.hash)
    path = tmp_path / "hoi-nghi-500.csv"
    broken = {57: "Lê Văn Sai,sai-email,Sở Ngoại vụ,", 230: ",khongten@haiphong.gov.vn,,",
              499: "Trùng Email,canbo010@haiphong.gov.vn,Sở Du lịch,"}
    path.write_bytes(officials_csv(500, broken))
    result = invoke(runner, path, "--cohort", "lop-1")
    assert result.exit_code == 1
    assert [line.split(":")[1] for line in result.output.splitlines()
            if line.startswith(str(path))] == ["57", "230", "499"]
    assert count(User) == 0
    path.write_bytes(officials_csv(500))
    out = tmp_path / "mat-khau.csv"
    result = invoke(runner, path, "--cohort", "lop-1", "--credentials", out)
    assert result.exit_code == 0, result.output
    assert "500 new accounts" in result.output
    assert count(User) == 500 and count(Enrolment) == 500
    assert len(out.read_bytes().decode("utf-8-sig").splitlines()) == 501
    again = invoke(runner, path, "--cohort", "lop-1")
    assert again.exit_code == 0 and "500 already enrolled" in again.output
    assert count(User) == 500


def test_one_time_passwords_are_hashed_at_full_strength_by_a_job(app, cohort):
    """SECURITY 1 without exception: the import commits accounts that cannot sign in yet, and
    the job hashes their one-time passwords with argon2-cffi's defaults, as any password."""
    from argon2 import PasswordHasher

    defaults = PasswordHasher()
    full = (f"$argon2id$v=19$m={defaults.memory_cost},t={defaults.time_cost},"
            f"p={defaults.parallelism}$")
    result = import_file(ROSTER / "semicolon.csv", cohort, wait=False)
    jobs.wait_in_process()
    credential = result.credentials[0]
    user = db.session.scalar(sa.select(User).where(User.email == credential.email))
    assert not is_pending(user.password_hash)
    assert user.password_hash.startswith(full)
    assert accounts.authenticate(user.email, credential.password) is not None
    assert len(credential.password.replace("-", "")) == 16  # 16 × log2(31) ≈ 79 bits
    with writing():
        accounts.change_password(db.session.merge(user), "mật khẩu mới đủ dài 2026")
        db.session.commit()
    changed = db.session.scalar(sa.select(User.password_hash).where(User.id == user.id))
    assert changed.startswith(f"$argon2id$v=19$m={defaults.memory_cost},t={defaults.time_cost},"
                              f"p={defaults.parallelism}$")
