"""Rubric grids (domain/rubrics.py via the essay type): validation, scoring, the filled grid."""

from __future__ import annotations

from course_app.domain import rubrics
from course_app.domain.questions import get_type

ESSAY = get_type("essay")


def grid(points_a=3, points_b=2, key_b="b"):
    return {"guide": {"vi": "Hướng dẫn", "en": "Guide"}, "criteria": [
        {"key": "a", "title": {"vi": "Nội dung", "en": "Content"}, "levels": [
            {"key": "hi", "label": "Tốt", "text": {"vi": "Đủ", "en": "Full"}, "points": points_a},
            {"key": "lo", "label": "Kém", "points": 0}]},
        {"key": key_b, "title": "Ngôn ngữ", "levels": [
            {"key": "hi", "label": "Tốt", "points": points_b},
            {"key": "lo", "label": "Kém", "points": 0}]}]}


def essay(rubric, points=5):
    return {"key": "e", "type": "essay", "text": "Viết", "points": points, "rubric": rubric}


def test_a_grid_normalises_and_round_trips_through_authoring():
    data, errors = ESSAY.normalise(essay(grid()))
    assert errors == [] and [c["key"] for c in data["criteria"]] == ["a", "b"]
    assert data["rubric"] == {"vi": "Hướng dẫn", "en": "Guide"}
    again, errors = ESSAY.normalise(essay(ESSAY.to_authoring(data)["rubric"]))
    assert errors == [] and again == data


def test_a_text_rubric_is_unchanged():
    data, errors = ESSAY.normalise(essay({"vi": "Rõ mục tiêu."}))
    assert errors == [] and "criteria" not in data


def test_levels_over_the_questions_points_are_refused_at_their_path():
    _, errors = ESSAY.normalise(essay(grid(points_a=6)))
    assert ("rubric", "criteria", 0, "levels", 0, "points") in [e.path for e in errors]
    _, errors = ESSAY.normalise(essay(grid(points_a=4, points_b=4)))  # 8 > 5
    assert [e.path for e in errors] == [("rubric", "criteria")]


def test_duplicate_keys_are_refused():
    _, errors = ESSAY.normalise(essay(grid(key_b="a")))
    assert [e.path for e in errors] == [("rubric", "criteria", 1, "key")]
    raw = grid()
    raw["criteria"][0]["levels"][1]["key"] = "hi"
    _, errors = ESSAY.normalise(essay(raw))
    assert [e.path for e in errors] == [("rubric", "criteria", 0, "levels", 1, "key")]


def test_a_criterion_needs_two_levels_and_labels():
    raw = grid()
    raw["criteria"][0]["levels"] = raw["criteria"][0]["levels"][:1]
    del raw["criteria"][1]["levels"][0]["label"]
    _, errors = ESSAY.normalise(essay(raw))
    paths = [e.path for e in errors]
    assert ("rubric", "criteria", 0, "levels") in paths
    assert ("rubric", "criteria", 1, "levels", 0, "label") in paths


def test_the_score_is_the_sum_of_the_levels_picked():
    data, _ = ESSAY.normalise(essay(grid()))
    assert rubrics.score(data["criteria"], {"a": "hi", "b": "lo"}) == (3.0, [])
    assert rubrics.score(data["criteria"], {"a": "hi"}) == (None, ["b"])
    assert rubrics.score(data["criteria"], {"a": "hi", "b": "zz"}) == (None, ["b"])
    assert rubrics.max_points(data["criteria"]) == 5.0


def test_the_filled_grid_marks_the_levels_picked():
    data, _ = ESSAY.normalise(essay(grid()))

    class Picked:
        rubric_scores = {"a": "lo"}

    filled = rubrics.rubric_grid({"type": "essay", "type_data": data}, Picked())
    assert [c["chosen"] for c in filled] == ["lo", None]
    assert rubrics.rubric_grid({"type": "essay", "type_data": {"rubric": {}}}, None) is None


def test_stored_scores_keep_a_comment_beside_the_level_and_read_the_old_shape():
    stored = rubrics.stored_scores({"a": "hi", "b": "lo"}, {"b": "Thiếu dẫn chứng"})
    assert stored == {"a": "hi", "b": {"level": "lo", "comment": "Thiếu dẫn chứng"}}
    assert rubrics.picks(stored) == {"a": "hi", "b": "lo"}
    assert rubrics.comments(stored) == {"b": "Thiếu dẫn chứng"}
    assert rubrics.picks({"a": "hi"}) == {"a": "hi"} and rubrics.comments({"a": "hi"}) == {}
    assert rubrics.picks(None) == {} and rubrics.comments(None) == {}
    data, _ = ESSAY.normalise(essay(grid()))

    class Graded:
        rubric_scores = stored

    filled = rubrics.rubric_grid({"type": "essay", "type_data": data}, Graded())
    assert [(c["chosen"], c["comment"]) for c in filled] == [("hi", None),
                                                              ("lo", "Thiếu dẫn chứng")]
