"""Authoring forms: posted fields ↔ content data. Fields are flat names (`title-vi`,
`choices-2-text-en`); parsing returns the data and the errors by field name, so each error is
shown next to its field. Translatable texts come as <name>-vi and <name>-en."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_number
from flask_babel import gettext as _

from ..content.markdown import MAX_SOURCE_CHARS, image_references
from ..domain import quiz_rules
from ..domain.i18n_text import TextError, tr_text
from ..domain.text import nfc
from ..models.quiz import GRADING_METHODS
from . import review_form

NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")
CERTIFICATE_TEXTS = ("title", "issuer", "place", "signatory_title", "text")


@dataclass
class Parsed:
    values: dict[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors


def posted(form: Mapping[str, Any]) -> dict[str, str]:
    """The form's first values, with the browser's CRLF line ends made LF."""
    return {name: str(form.get(name, "")).replace("\r\n", "\n").replace("\r", "\n")
            for name in form}


def text(parsed: Parsed, name: str, required: bool = True) -> dict[str, str]:
    vi = parsed.values.get(f"{name}-vi", "").strip()
    en = parsed.values.get(f"{name}-en", "").strip()
    if not vi and not en:
        if required:
            parsed.error(f"{name}-vi", _("The Vietnamese text is required."))
        return {}
    if not vi:
        parsed.error(f"{name}-vi", _("The Vietnamese text is required (English is optional)."))
        return {}
    try:
        return tr_text({"vi": vi, "en": en or None})
    except TextError as error:
        parsed.error(f"{name}-vi", error.message)
        return {}


def number(parsed: Parsed, name: str, whole: bool = False, low: float | None = None,
           high: float | None = None) -> float | int | None:
    raw = parsed.values.get(name, "").strip()
    if not raw:
        return None
    if not NUMBER.match(raw) or (whole and not raw.lstrip("+-").isdigit()):
        parsed.error(name, _("Enter a whole number.") if whole else _("Enter a number."))
        return None
    value = int(raw) if whole else float(raw.replace(",", "."))
    if (low is not None and value < low) or (high is not None and value > high):
        parsed.error(name, _("Enter a number from %(low)s to %(high)s.", low=low, high=high))
        return None
    return value


def flag(parsed: Parsed, name: str) -> bool:
    return parsed.values.get(name) in ("on", "1", "true", "y")


def text_values(values: dict[str, str], name: str, value: Any) -> None:
    value = value or {}
    if isinstance(value, str):
        value = {"vi": value}
    values[f"{name}-vi"], values[f"{name}-en"] = value.get("vi", ""), value.get("en", "")


def show_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Courses ---------------------------------------------------------------------------------------

def course_values(data: dict[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in ("title", "description", "audience"):
        text_values(values, name, data.get(name))
    values["estimated_hours"] = show_number(data.get("estimated_hours"))
    values["min_average"] = show_number((data.get("completion") or {}).get("min_average"))
    certificate = data.get("certificate") or {}
    for name in CERTIFICATE_TEXTS:
        text_values(values, f"certificate-{name}", certificate.get(name))
    values["certificate-signatory_name"] = certificate.get("signatory_name") or ""
    values["certificate-validity_months"] = show_number(certificate.get("validity_months"))
    return values


def parse_course(values: dict[str, str]) -> Parsed:
    parsed = Parsed(values)
    data: dict[str, Any] = {"title": text(parsed, "title"),
                            "description": text(parsed, "description", required=False),
                            "audience": text(parsed, "audience", required=False),
                            "estimated_hours": number(parsed, "estimated_hours", low=0.1,
                                                      high=10000)}
    data["completion"] = {"lessons": "all", "quizzes": "required",
                          "min_average": number(parsed, "min_average", low=0, high=100)}
    certificate: dict[str, Any] = {}
    for name in CERTIFICATE_TEXTS:
        value = text(parsed, f"certificate-{name}", required=False)
        if value:
            certificate[name] = value
    signatory = nfc(values.get("certificate-signatory_name", "").strip())
    if signatory:
        certificate["signatory_name"] = signatory
    months = number(parsed, "certificate-validity_months", whole=True, low=1, high=1200)
    if months is not None:
        certificate["validity_months"] = months
    data["certificate"] = certificate
    parsed.data = data
    return parsed


# Modules ---------------------------------------------------------------------------------------

def module_values(data: dict[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    text_values(values, "title", data.get("title"))
    text_values(values, "summary", data.get("summary"))
    return values


def parse_module(values: dict[str, str]) -> Parsed:
    parsed = Parsed(values)
    parsed.data = {"title": text(parsed, "title"),
                   "summary": text(parsed, "summary", required=False)}
    return parsed


# Lessons ---------------------------------------------------------------------------------------

def lesson_values(data: dict[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    text_values(values, "title", data.get("title"))
    for lang in ("vi", "en"):
        values[f"objectives-{lang}"] = "\n".join((data.get("objectives") or {}).get(lang, []))
        values[f"body-{lang}"] = (data.get("body") or {}).get(lang, "")
    values["minutes"] = show_number(data.get("minutes"))
    return values


def parse_lesson(values: dict[str, str], media_names: set[str]) -> Parsed:
    parsed = Parsed(values)
    title = text(parsed, "title")
    body = {lang: nfc(values.get(f"body-{lang}", "")) for lang in ("vi", "en")}
    objectives = {lang: [nfc(line.strip()) for line in values.get(f"objectives-{lang}", "")
                         .split("\n") if line.strip()] for lang in ("vi", "en")}
    if not body["vi"].strip():
        parsed.error("body-vi", _("The Vietnamese lesson text is required."))
    has_en = bool(body["en"].strip() or objectives["en"] or "en" in title)
    if has_en and not body["en"].strip():
        parsed.error("body-en", _("An English version needs its text too (or leave every "
                                  "English field empty)."))
    if has_en and title and "en" not in title:
        parsed.error("title-en", _("An English version needs its title too."))
    for lang in ("vi", "en"):
        if len(body[lang]) > MAX_SOURCE_CHARS:
            parsed.error(f"body-{lang}", too_long_message(len(body[lang])))
            continue
        for message in image_problems(body[lang], media_names):
            parsed.error(f"body-{lang}", message)
    if not has_en:
        body.pop("en")
        objectives.pop("en")
    minutes = number(parsed, "minutes", whole=True, low=1, high=600)
    parsed.data = {"title": title, "objectives": objectives, "body": body, "minutes": minutes}
    return parsed


def too_long_message(length: int) -> str:
    return _("This text has %(count)s characters; a lesson holds at most %(most)s. Split it "
             "into two lessons.", count=format_number(length), most=format_number(MAX_SOURCE_CHARS))


def image_problems(body: str, media_names: set[str]) -> list[str]:
    """The package's image rules: from the course's media, with alt text."""
    found = []
    for src, alt in image_references(body):
        name = src.removeprefix("media/")
        if not src.startswith("media/") or name not in media_names:
            found.append(_("Image %(src)s is not one of this course's images: upload it, then "
                           "use ![description](media/name.png).", src=src))
        elif not alt.strip():
            found.append(_("Image %(src)s needs alt text: ![what the image shows](%(src)s).",
                           src=src))
    return found


# Quizzes ---------------------------------------------------------------------------------------

def quiz_values(data: dict[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    text_values(values, "title", data.get("title"))
    text_values(values, "description", data.get("description"))
    values["module"] = data.get("module") or ""
    for name in ("pass_score", "time_limit_minutes", "max_attempts", "draw"):
        values[name] = show_number(data.get(name))
    for name in ("required", "shuffle_questions", "shuffle_choices"):
        values[name] = "on" if data.get(name) else ""
    values["grading"] = data.get("grading", "highest")
    values.update(review_form.values(data))
    return values


def parse_quiz(values: dict[str, str], modules: set[str], has_essay: bool) -> Parsed:
    parsed = Parsed(values)
    module = values.get("module") or None
    if module is not None and module not in modules:
        parsed.error("module", _("Choose one of the course's modules."))
    pass_score = number(parsed, "pass_score", low=0, high=100)
    if pass_score is None and "pass_score" not in parsed.errors:
        parsed.error("pass_score", _("Enter the pass mark, from 0 to 100."))
    data: dict[str, Any] = {
        "title": text(parsed, "title"), "description": text(parsed, "description", False),
        "module": module, "required": flag(parsed, "required"),
        "pass_score": float(pass_score or 0),
        "time_limit_minutes": number(parsed, "time_limit_minutes", whole=True, low=1, high=1440),
        "max_attempts": number(parsed, "max_attempts", whole=True, low=1, high=1000),
        "grading": _choice(parsed, "grading", GRADING_METHODS),
        "shuffle_questions": flag(parsed, "shuffle_questions"),
        "shuffle_choices": flag(parsed, "shuffle_choices"),
        "draw": number(parsed, "draw", whole=True, low=1, high=10000),
        **review_form.parse(parsed.values),
    }
    if not quiz_rules.allows(data["required"], has_essay):
        parsed.error("required", _("A required quiz cannot hold essay questions: certificates "
                                   "must never wait for a trainer."))
    parsed.data = data
    return parsed


def _choice(parsed: Parsed, name: str, allowed: tuple[str, ...]) -> str:
    value = parsed.values.get(name, allowed[0])
    if value not in allowed:
        parsed.error(name, _("Choose one of the options."))
        return allowed[0]
    return value
