"""`flask quiz import` and `flask quiz export` through the command line, with Moodle's own files
(tests/fixtures/moodle/README.md says what Moodle expects of them)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from course_app.catalog.quiz_import import vi_only
from course_app.extensions import db
from course_app.models import AuditEvent, Course, Question, Quiz

MOODLE = Path(__file__).resolve().parent.parent / "fixtures" / "moodle"


def invoke(runner, *args):
    return runner.invoke(args=[str(arg) for arg in args], catch_exceptions=False)


def import_file(runner, path, fmt, quiz, *extra):
    return invoke(runner, "quiz", "import", path, "--format", fmt, "--course", "demo",
                  "--quiz", quiz, *extra)


def quiz_named(slug):
    db.session.expire_all()
    return db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug))


def questions_of(slug):
    quiz = quiz_named(slug)
    return {q.key: q for q in quiz.questions} if quiz else {}


def audits(action):
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_moodle_gift_fixture_imports_its_nine_questions(runner, loaded):
    result = import_file(runner, MOODLE / "gift-questions.gift.txt", "gift", "ngan-hang",
                         "--title", "Ngân hàng Moodle")
    assert result.exit_code == 0, result.output
    assert "quiz demo/ngan-hang (created): 9 new, 0 updated (new version), 0 unchanged" \
        in result.output
    assert "gift-questions.gift.txt:2: warning: essay question: GIFT has no rubric" \
        in result.output
    questions = questions_of("ngan-hang")
    assert [(q.key, q.type) for q in sorted(questions.values(), key=lambda q: q.position)] == [
        ("Q8", "essay"), ("Moodle-activities", "matching"), ("Q2", "single"),
        ("colours", "multiple"), ("Q5", "numeric"), ("Shortanswer", "short"),
        ("Q1", "true_false"), ("2-08-TSL", "true_false"), ("2-08-TSL-2", "true_false")]
    quiz = quiz_named("ngan-hang")
    assert quiz.title == {"vi": "Ngân hàng Moodle"}
    assert quiz.required is False  # it holds an essay: certificates must not wait for it
    assert all(q.version == 1 and q.points == 1 for q in questions.values())


def test_moodle_gift_fixture_keeps_what_the_readme_promises(runner, loaded):
    import_file(runner, MOODLE / "gift-questions.gift.txt", "gift", "ngan-hang")
    q = questions_of("ngan-hang")
    assert [o["text"]["vi"] for o in q["Moodle-activities"].type_data["options"]] == [
        "Chat", "Choice", "Database", "Forum", "Wiki"]  # the unmatched extra answer is kept
    assert len(q["Moodle-activities"].type_data["correct"]) == 4
    single = q["Q2"].type_data["choices"]
    assert [(c["text"]["vi"], c["correct"], c.get("feedback", {}).get("vi")) for c in single] \
        == [("yellow", True, "right; good!"), ("red", False, "wrong, it's yellow"),
            ("blue", False, "wrong, it's yellow")]
    assert [c["weight"] for c in q["colours"].type_data["choices"]] == [50, -100, 50, -100]
    numeric = q["Q5"].type_data["answers"][0]
    assert (numeric["value"], numeric["tolerance"]) == (3, 2)
    assert [(a["text"], a["credit"]) for a in q["Shortanswer"].type_data["answers"]] == [
        ("Frog", 100), ("Cat", 50), ("*", 0)]
    assert q["Q1"].type_data["answer"] is False
    assert q["Q1"].explanation["vi"].startswith("This is, of course, a Hitchiker's Guide")
    assert q["2-08-TSL"].type_data["answer"] is True and q["2-08-TSL-2"].type_data["answer"]
    assert q["Q8"].type_data["rubric"]["en"].startswith("Grade against the question")


def test_the_official_gift_examples_all_import(runner, loaded):
    result = import_file(runner, MOODLE / "gift-examples.txt", "gift", "vi-du")
    assert result.exit_code == 0, result.output
    assert len(questions_of("vi-du")) == 43  # every block of the file (unit-tested types)


def test_moodle_aiken_fixture(runner, loaded):
    result = import_file(runner, MOODLE / "aiken-questions.txt", "aiken", "aiken")
    assert result.exit_code == 0, result.output
    first, second = questions_of("aiken")["q1"], questions_of("aiken")["q2"]
    assert [c["key"] for c in first.type_data["choices"] if c["correct"]] == ["b"]
    assert [c["key"] for c in second.type_data["choices"] if c["correct"]] == ["a"]
    assert "&lt;html class=\"cool\"&gt; &amp; images" in second.text["vi"]  # shown as text
    assert quiz_named("aiken").title == {"vi": "aiken"} and not quiz_named("aiken").required


def test_broken_aiken_file_imports_nothing_and_names_each_line(runner, loaded):
    result = import_file(runner, MOODLE / "aiken-errors.txt", "aiken", "loi")
    assert result.exit_code == 1
    for line, message in ((1, "a question needs at least 2 choices (found 1)"),
                          (5, "choice or ANSWER line without a question before it"),
                          (14, "question not finished: no 'ANSWER:' line")):
        assert f"aiken-errors.txt:{line}: {message}" in result.output
    assert "3 error(s); nothing was imported (use --keep-good to import the 2 good question(s))" \
        in result.output
    assert quiz_named("loi") is None
    assert audits("quiz.import") == []


def test_keep_good_imports_the_good_aiken_questions(runner, loaded):
    result = import_file(runner, MOODLE / "aiken-errors.txt", "aiken", "loi", "--keep-good")
    assert result.exit_code == 0, result.output
    assert "aiken-errors.txt:14: skipped: question not finished" in result.output
    assert "2 new" in result.output and "3 broken block(s) skipped" in result.output
    assert [q.text["vi"] for q in questions_of("loi").values()] == [
        "A good question", "A second good question"]
    event = audits("quiz.import")[0]
    assert event.details["created"] == ["q1", "q2"] and len(event.details["skipped"]) == 3


def test_reimport_changes_nothing_and_a_changed_question_gets_a_new_version(runner, loaded,
                                                                          tmp_path):
    source = tmp_path / "bank.gift"
    source.write_text("::hp::Thủ phủ miền Bắc?{=Hà Nội ~Huế}\n\n::so::Hai cộng hai?{#4}\n",
                      encoding="utf-8")
    import_file(runner, source, "gift", "bank")
    again = import_file(runner, source, "gift", "bank")
    assert "0 new, 0 updated (new version), 2 unchanged" in again.output
    source.write_text("::hp::Thủ đô?{=Hà Nội ~Huế ~Đà Nẵng}\n\n::so::Hai cộng hai?{#4}\n\n"
                      "::moi::Mới?{T}\n", encoding="utf-8")
    changed = import_file(runner, source, "gift", "bank")
    assert "1 new, 1 updated (new version), 1 unchanged" in changed.output
    questions = questions_of("bank")
    assert (questions["hp"].version, questions["so"].version) == (2, 1)
    assert questions["hp"].text == {"vi": "Thủ đô?"} and len(questions) == 3


def test_export_then_import_gives_the_same_questions(runner, loaded, tmp_path):
    out = tmp_path / "module-1.gift"
    exported = invoke(runner, "quiz", "export", "--course", "demo", "--quiz", "module-1", out)
    assert exported.exit_code == 0, exported.output
    assert "wrote 4 question(s)" in exported.output
    assert import_file(runner, out, "gift", "ban-sao").exit_code == 0
    original, copy = questions_of("module-1"), questions_of("ban-sao")
    assert set(copy) == set(original)
    for key, question in original.items():
        other = copy[key]
        assert (other.type, vi_only(other.text), vi_only(other.explanation)) == \
            (question.type, vi_only(question.text), vi_only(question.explanation))
        if question.type != "short":  # GIFT short answers have no ignore_diacritics option
            assert vi_only(other.type_data) == vi_only(question.type_data), key
    back = import_file(runner, out, "gift", "module-1")
    assert "0 new, 0 updated (new version), 4 unchanged" in back.output
    assert questions_of("module-1")["q1"].text["en"]  # English translations survive
    assert [e.details["exported"] for e in audits("quiz.export")] == [4]


def test_export_names_what_gift_cannot_hold(runner, app, tmp_path):
    from course_app.catalog.content_loader import load_courses
    from course_app.content.package import read_package
    from course_app.database import writing

    courses, _ = read_package(Path(__file__).resolve().parent.parent / "fixtures" / "all_types")
    with writing():
        load_courses(courses)
        db.session.commit()
    out = tmp_path / "all.gift"
    result = invoke(runner, "quiz", "export", "--course", "cac-dang-cau-hoi", "--quiz",
                    "tam-dang", out)
    assert result.exit_code == 0
    assert "wrote 7 question(s)" in result.output and "sap-xep" in result.output
    assert "// ordering question sap-xep not exportable to GIFT" in out.read_text("utf-8")


@pytest.mark.parametrize(("content", "message"), [
    ("Câu hỏi {=a ~b\n", "bad.gift:1: missing closing '}'"),
    ("::a::Đúng? {T}\n\n::b::Câu hỏi {~%50%x ~y}\n", "bad.gift:3: the positive weights add up"),
    ("::x::Ghép {=A -> 1 =A -> 2}\n", "bad.gift:1: question x: "),
])
def test_broken_gift_blocks_are_named_by_line(runner, loaded, tmp_path, content, message):
    path = tmp_path / "bad.gift"
    path.write_text(content, encoding="utf-8")
    result = import_file(runner, path, "gift", "hong")
    assert result.exit_code == 1
    assert message in result.output
    assert quiz_named("hong") is None


def test_an_essay_cannot_go_into_a_required_quiz(runner, loaded, tmp_path):
    path = tmp_path / "essay.gift"
    path.write_text("::ok::Đúng?{T}\n\n\n::viet::Viết một đoạn.{}\n", encoding="utf-8")
    result = import_file(runner, path, "gift", "module-1")
    assert result.exit_code == 1
    assert "essay.gift:4: question viet: the quiz is required" in result.output
    assert "ok" not in questions_of("module-1")


def test_a_key_that_clashes_with_a_matching_question_is_refused(runner, loaded, tmp_path):
    path = tmp_path / "clash.gift"
    path.write_text("::m::Ghép {=A -> 1 =B -> 2}\n\n::m-A::Đúng?{T}\n", encoding="utf-8")
    result = import_file(runner, path, "gift", "va-cham")
    assert result.exit_code == 1
    assert "clash.gift:3: question m-A: its key clashes" in result.output


@pytest.mark.parametrize(("args", "message"), [
    (("--course", "khong-co", "--quiz", "x"), "unknown course 'khong-co'"),
    (("--course", "demo", "--quiz", "Không hợp lệ"), "quiz slug 'Không hợp lệ' must use"),
])
def test_bad_targets_are_refused(runner, loaded, args, message):
    result = invoke(runner, "quiz", "import", MOODLE / "aiken-questions.txt", "--format",
                    "aiken", *args)
    assert result.exit_code == 1 and message in result.output


def test_files_that_are_not_utf8_or_too_large_are_refused(runner, loaded, tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Câu hỏi?\nA) Có\nB) Không\nANSWER: A\n".encode("utf-16"))
    result = import_file(runner, latin, "aiken", "x")
    assert result.exit_code == 1 and "is not UTF-8 text" in result.output
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    result = import_file(runner, big, "aiken", "x")
    assert result.exit_code == 1 and "larger than 2048 KiB" in result.output
    assert quiz_named("x") is None


def test_export_of_an_unknown_quiz_fails_clearly(runner, loaded, tmp_path):
    result = invoke(runner, "quiz", "export", "--course", "demo", "--quiz", "khong-co",
                    tmp_path / "x.gift")
    assert result.exit_code == 1 and "unknown quiz 'khong-co'" in result.output
    assert not (tmp_path / "x.gift").exists()


def test_imported_questions_are_taken_like_authored_ones(runner, loaded, client, trainee):
    from course_app.author import publish
    from course_app.database import writing

    from ..helpers import post, sign_in

    import_file(runner, MOODLE / "aiken-questions.txt", "aiken", "aiken")
    with writing():  # a new imported quiz is a draft until a trainer publishes it
        quiz = quiz_named("aiken")
        publish.publish(db.session.get(Course, quiz.course_id), None, [("quiz", quiz.id)])
        db.session.commit()
    sign_in(client, trainee.email)
    started = post(client, "/courses/demo/quizzes/aiken/attempts")
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
    post(client, f"/attempts/{attempt_id}/submit", {"q-q1": "b", "q-q2": "b"})
    db.session.expire_all()
    quiz = quiz_named("aiken")
    from course_app.models import Attempt

    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.quiz_id == quiz.id and attempt.percent == 50.0
    assert db.session.scalar(sa.select(sa.func.count(Question.id)).where(
        Question.quiz_id == quiz.id)) == 2
