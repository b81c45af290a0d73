"""Cohort dashboards and score reports for trainers (the cohort's trainers; admins see all)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
