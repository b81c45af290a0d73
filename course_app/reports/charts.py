"""The rows the chart macros draw (templates/_charts.html): (label, value, text shown)."""

from __future__ import annotations

from flask_babel import gettext as _

from ..domain.statistics import Bin, FunnelStage
from ..i18n import percent
from .figures import UnitRow

ChartRows = list[tuple[str, float, str]]


def funnel_rows(stages: list[FunnelStage]) -> ChartRows:
    names = {"enrolled": _("Enrolled"), "read_all": _("Read every lesson"),
             "passed_quizzes": _("Passed the required quizzes"), "certified": _("Certified")}
    return [(names[s.name], s.count, _("%(count)s (%(percent)s)", count=s.count,
                                       percent=percent(s.percent))) for s in stages]


def unit_rows(units: list[UnitRow]) -> ChartRows:
    return [(u.unit or _("(no unit)"), u.percent,
             _("%(completed)s of %(enrolled)s (%(percent)s)", completed=u.completed,
               enrolled=u.enrolled, percent=percent(u.percent))) for u in units]


def bin_rows(bins: list[Bin]) -> ChartRows:
    return [(f"{b.low:g}", b.count, _("%(count)s trainees scored %(low)s–%(high)s%%",
                                      count=b.count, low=f"{b.low:g}", high=f"{b.high:g}"))
            for b in bins]
