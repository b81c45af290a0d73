"""What the API reads and answers, as marshmallow schemas: flask-smorest validates the query
with them and writes the OpenAPI 3.1 document from them (one source for code and document)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

MAX_LIMIT = 500
DEFAULT_LIMIT = 100


class ListQuery(Schema):
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT),
                           metadata={"description": f"Items per page, 1 to {MAX_LIMIT}."})
    cursor = fields.String(validate=[validate.Length(max=500),
                                     validate.Regexp(r"^[A-Za-z0-9_.-]+$")],
                           metadata={"description": "The `next_cursor` of the previous page, "
                                                    "as given (opaque)."})
    updated_since = fields.AwareDateTime(
        format="iso",
        metadata={"description": "Only items changed at or after this time (ISO 8601 with a "
                                 "time zone, e.g. 2026-12-01T00:00:00Z). See each item's "
                                 "`updated_at`."})


class CohortFilterQuery(ListQuery):
    cohort = fields.String(validate=validate.Length(1, 100),
                           metadata={"description": "Only this cohort (its slug)."})


class Text(Schema):
    vi = fields.String(allow_none=True)
    en = fields.String(allow_none=True)


class Page(Schema):
    next_cursor = fields.String(allow_none=True, required=True, metadata={
        "description": "Pass as `cursor` for the next page; null on the last page."})


class Organisation(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.Nested(Text, required=True)
    archived = fields.Boolean(required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class Course(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    title = fields.Nested(Text, required=True)
    estimated_hours = fields.Float(allow_none=True, required=True)
    archived = fields.Boolean(required=True)
    updated_at = fields.AwareDateTime(required=True)


class Cohort(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    course_id = fields.Integer(required=True)
    course = fields.String(required=True, metadata={"description": "The course's slug."})
    starts_on = fields.Date(allow_none=True, required=True)
    ends_on = fields.Date(allow_none=True, required=True)
    archived = fields.Boolean(required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class Progress(Schema):
    lessons_read = fields.Integer(required=True)
    lessons_total = fields.Integer(required=True)
    percent = fields.Float(required=True, metadata={"description": "Lessons read, 0 to 100."})
    quizzes_passed = fields.Integer(required=True)
    quizzes_total = fields.Integer(required=True, metadata={"description": "Required quizzes."})
    last_activity_at = fields.AwareDateTime(allow_none=True, required=True)


class Trainee(Schema):
    id = fields.Integer(required=True, metadata={"description": "The enrolment's id."})
    user_id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    email = fields.String(required=True)
    unit = fields.String(allow_none=True, required=True)
    position = fields.String(allow_none=True, required=True)
    active = fields.Boolean(required=True)
    cohort_id = fields.Integer(required=True)
    cohort = fields.String(required=True)
    course_id = fields.Integer(required=True)
    enrolled_at = fields.AwareDateTime(required=True)
    progress = fields.Nested(Progress, required=True)
    updated_at = fields.AwareDateTime(required=True)


class Attempt(Schema):
    id = fields.Integer(required=True)
    user_id = fields.Integer(required=True)
    course_id = fields.Integer(required=True)
    quiz_id = fields.Integer(required=True)
    quiz = fields.String(required=True, metadata={"description": "The quiz's slug."})
    number = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(
        ("in_progress", "needs_grading", "finished")))
    started_at = fields.AwareDateTime(required=True)
    submitted_at = fields.AwareDateTime(allow_none=True, required=True)
    score = fields.Float(allow_none=True, required=True)
    max_score = fields.Float(allow_none=True, required=True)
    percent = fields.Float(allow_none=True, required=True)
    pass_score = fields.Float(required=True)
    passed = fields.Boolean(allow_none=True, required=True, metadata={
        "description": "null until the attempt is graded."})
    updated_at = fields.AwareDateTime(required=True)


class Certificate(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    user_id = fields.Integer(required=True)
    course_id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(
        ("valid", "revoked", "expired", "superseded")))
    holder_name = fields.String(required=True)
    holder_unit = fields.String(allow_none=True, required=True)
    course_title = fields.Nested(Text, required=True)
    score = fields.Float(allow_none=True, required=True)
    hours = fields.Float(allow_none=True, required=True)
    issued_at = fields.AwareDateTime(required=True)
    expires_at = fields.AwareDateTime(allow_none=True, required=True)
    revoked_at = fields.AwareDateTime(allow_none=True, required=True)
    verify_url = fields.String(required=True)
    updated_at = fields.AwareDateTime(required=True)


def page_of(item: type[Schema], name: str) -> type[Schema]:
    return Schema.from_dict({"items": fields.List(fields.Nested(item), required=True),
                             "next_cursor": Page._declared_fields["next_cursor"]},
                            name=name)


class ApiError(Schema):
    code = fields.Integer(required=True)
    status = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(metadata={"description": "Per parameter: what is wrong with it."})
