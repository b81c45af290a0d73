"""Authoring courses in the browser (trainers and admins)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("author", __name__, url_prefix="/author")
