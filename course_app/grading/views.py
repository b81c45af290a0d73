"""Manual grading of essays and regrading after a corrected key (trainers)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("grading", __name__, url_prefix="/grading")
