"""The OpenAPI document: generated from the code, valid OpenAPI 3.1, served with a key, and
true to what the API answers."""

from __future__ import annotations

import jsonschema
from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

from .conftest import bearer

RESOURCES = ("organisations", "courses", "cohorts", "trainees", "attempts", "certificates")


def test_the_document_is_valid_openapi_3_1(client, orgs):
    a, _ = orgs
    spec = client.get("/api/v1/openapi.json", headers=bearer(a.key)).json
    assert spec["openapi"] == "3.1.0"
    validate(spec, cls=OpenAPIV31SpecValidator)
    assert {f"/api/v1/{r}" for r in RESOURCES} <= set(spec["paths"])
    for path, item in spec["paths"].items():
        operation = item["get"]
        assert {"200", "401", "403", "429"} <= set(operation["responses"]), path
    assert spec["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"


def test_answers_match_the_documented_schemas(client, orgs):
    """Each list's answer validates against its response schema in the document (JSON Schema
    2020-12, which OpenAPI 3.1 uses as it is)."""
    a, _ = orgs
    spec = client.get("/api/v1/openapi.json", headers=bearer(a.key)).json
    for resource in RESOURCES:
        schema = spec["paths"][f"/api/v1/{resource}"]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"]
        answer = client.get(f"/api/v1/{resource}", headers=bearer(a.key)).json
        assert answer["items"], resource
        jsonschema.Draft202012Validator(
            {**schema, "components": spec["components"]},
            format_checker=jsonschema.FormatChecker()).validate(answer)
        error = client.get(f"/api/v1/{resource}?limit=0", headers=bearer(a.key)).json
        jsonschema.Draft202012Validator(
            {"$ref": "#/components/schemas/ApiError", "components": spec["components"]}
        ).validate(error)
