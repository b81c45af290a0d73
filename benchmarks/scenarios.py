"""The scenarios of issue 10, as lists of prepared requests made by signed-in virtual users."""

from __future__ import annotations

from urllib.parse import urlencode

from .answers import attempt_form
from .client import SignedIn
from .loadgen import Request, Scenario
from .seed import COHORT, Seeded, Trainee

READERS = 50  # trainees whose sessions read lessons and open attempt pages
# For the dashboard and the PDFs, which take tenths of a second each. Eight, not fewer: the
# kernel spreads connections over the workers by their addresses (reuse_port), and with 4 all of
# them land on one of two workers one run in eight (2 × 2⁻⁴), which halves the throughput.
SLOW_PAGE_CONNECTIONS = 8


def hello() -> Scenario:
    return Scenario("hello", "hello-world (yardstick)", [Request("GET", "/")])


def lesson_pages(seeded: Seeded, readers: list[SignedIn]) -> Scenario:
    paths = [f"/courses/{seeded.course}/lessons/{slug}" for slug in seeded.lessons]
    requests = [Request("GET", path, user.cookie) for path in paths for user in readers]
    return Scenario("lesson", "lesson page", requests)


def attempt_pages(trainees: list[Trainee], sessions: list[SignedIn]) -> Scenario:
    requests = [Request("GET", f"/attempts/{t.attempt_id}", s.cookie)
                for t, s in zip(trainees, sessions, strict=True)]
    return Scenario("attempt", "attempt page", requests)


def _post(path: str, session: SignedIn, fields: list[tuple[str, str]]) -> Request:
    return Request("POST", path, session.cookie,
                   urlencode([("csrf_token", session.csrf), *fields]))


def save_answers(trainees: list[Trainee], sessions: list[SignedIn]) -> Scenario:
    """Each trainee alternates between two sets of answers, so every save writes."""
    pairs = list(zip(trainees, sessions, strict=True))
    requests = [_post(f"/attempts/{t.attempt_id}", s, attempt_form(t.questions, right))
                for right in (False, True) for t, s in pairs]
    return Scenario("save", "save answers (20)", requests, expect=302)


def submit_requests(trainees: list[Trainee], sessions: list[SignedIn]) -> list[Request]:
    return [_post(f"/attempts/{t.attempt_id}/submit", s, attempt_form(t.questions))
            for t, s in zip(trainees, sessions, strict=True)]


def submissions(trainees: list[Trainee], sessions: list[SignedIn]) -> Scenario:
    return Scenario("submit", "submit a 20-question attempt",
                    submit_requests(trainees, sessions), expect=302, once=True)


def dashboard(trainer: SignedIn) -> Scenario:
    return Scenario("dashboard", "cohort dashboard, 500 trainees",
                    [Request("GET", f"/reports/cohorts/{COHORT}", trainer.cookie)],
                    connections=SLOW_PAGE_CONNECTIONS)


def certificate_pdfs(holders: list[Trainee], sessions: list[SignedIn]) -> Scenario:
    requests = [Request("GET", f"/certificates/{t.certificate}.pdf", s.cookie)
                for t, s in zip(holders, sessions, strict=True)]
    return Scenario("pdf", "certificate PDF", requests, connections=SLOW_PAGE_CONNECTIONS)


def verify_pages(seeded: Seeded) -> Scenario:
    return Scenario("verify", "public verify page",
                    [Request("GET", f"/verify/{t.certificate}") for t in seeded.certificates])
