"""The whole trainee journey through plain HTTP form posts with CONTRACT.md's field names."""

from __future__ import annotations

import re
from typing import Any

from course_app.extensions import db
from course_app.models import Attempt, Certificate

from ..helpers import post, sign_in


def _take_quiz(client: Any, course: str, quiz: str, answers_for: Any) -> Any:
    started = post(client, f"/courses/{course}/quizzes/{quiz}/attempts")
    assert started.status_code == 302
    attempt_url = started.headers["Location"]
    assert re.fullmatch(r"/attempts/\d+", attempt_url)
    attempt = db.session.get(Attempt, int(attempt_url.rsplit("/", 1)[1]))
    data = answers_for(attempt)
    submitted = post(client, attempt_url + "/submit", data)
    assert submitted.status_code == 302, submitted.get_data(as_text=True)
    assert submitted.headers["Location"] == attempt_url + "/review"
    return attempt


def correct_answers(attempt: Attempt) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for q in attempt.questions:
        name, td = f"q-{q['key']}", q["type_data"]
        if q["type"] == "single":
            data[name] = next(c["key"] for c in td["choices"] if c["correct"])
        elif q["type"] == "multiple":
            data[name] = [c["key"] for c in td["choices"] if c["correct"]]
        elif q["type"] == "true_false":
            data[name] = "true" if td["answer"] else "false"
        elif q["type"] == "short":
            data[name] = td["answers"][0]["text"]
    return data


def test_trainee_completes_course_and_gets_verifiable_certificate(client, trainee, app):
    assert sign_in(client, "HANG@example.vn").status_code == 302
    dashboard = client.get("/").get_data(as_text=True)
    assert "Khóa học thử nghiệm" in dashboard
    for lesson in ("tong-quan", "doi-tuong", "ke-hoach"):
        page = client.get(f"/courses/demo/lessons/{lesson}")
        assert page.status_code == 200
        done = post(client, f"/courses/demo/lessons/{lesson}/complete")
        assert done.status_code == 302
    _take_quiz(client, "demo", "module-1", correct_answers)
    attempt = _take_quiz(client, "demo", "final", correct_answers)
    review = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "100%" in review
    certificate = db.session.query(Certificate).one()
    assert certificate.holder_name == "Nguyễn Thị Hằng"
    assert len(certificate.code) >= 22
    dashboard = client.get("/").get_data(as_text=True)
    assert f"/certificates/{certificate.code}.pdf" in dashboard
    pdf = client.get(f"/certificates/{certificate.code}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    anonymous = app.test_client()
    verified = anonymous.get(f"/verify/{certificate.code}.json")
    assert verified.status_code == 200
    body = verified.get_json()
    assert body["status"] == "valid" and body["holder"] == "Nguyễn Thị Hằng"
    assert body["unit"] == "Sở Văn hóa" and body["score"] == 100.0
    page = anonymous.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Nguyễn Thị Hằng" in page


def test_certificate_is_issued_once(client, trainee):
    sign_in(client, trainee.email)
    for lesson in ("tong-quan", "doi-tuong", "ke-hoach"):
        post(client, f"/courses/demo/lessons/{lesson}/complete")
    _take_quiz(client, "demo", "module-1", correct_answers)
    _take_quiz(client, "demo", "final", correct_answers)
    _take_quiz(client, "demo", "module-1", correct_answers)
    post(client, "/courses/demo/lessons/tong-quan/complete")
    assert db.session.query(Certificate).count() == 1


def test_no_certificate_before_completion(client, trainee):
    sign_in(client, trainee.email)
    post(client, "/courses/demo/lessons/tong-quan/complete")
    _take_quiz(client, "demo", "module-1", correct_answers)
    assert db.session.query(Certificate).count() == 0
