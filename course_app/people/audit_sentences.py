"""The audit log as sentences people read, in the reader's language: a registry mapping each
action code written by `audit.record(...)` to a short name of its kind and a translatable
sentence with named parameters ("%(actor)s revoked certificate %(code)s of %(holder)s, reason:
%(reason)s"). An action missing here (a new one) falls back to a generic sentence naming its
code; a parameter an old event lacks reads "–". The names behind the ids (people, cohorts,
certificates, quizzes, courses) are filled in by audit_names.py in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from ..domain.names import text_key


@dataclass(frozen=True)
class Kind:
    label: LazyString  # the kind of event, as the filter's select lists it
    sentence: LazyString


def _kind(label: LazyString, sentence: LazyString) -> Kind:
    return Kind(label, sentence)


KINDS: dict[str, Kind] = {
    # signing in and passwords
    "auth.login": _kind(_l("Sign-in"), _l("%(actor)s signed in.")),
    "auth.login_failed": _kind(_l("Failed sign-in"),
                               _l("A sign-in as %(email)s failed (wrong email or password).")),
    "auth.logout": _kind(_l("Sign-out"), _l("%(actor)s signed out.")),
    "auth.password_check_failed": _kind(
        _l("Wrong current password"),
        _l("%(actor)s typed a wrong current password while changing it.")),
    "auth.password_reset_requested": _kind(
        _l("Password recovery asked for"),
        _l("A password recovery link was asked for %(email)s.")),
    "auth.password_reset": _kind(_l("Password recovered"),
                                 _l("%(actor)s chose a new password with a recovery link.")),
    # accounts
    "user.create": _kind(_l("Account created"),
                         _l("%(actor)s created the account %(email)s (%(role)s).")),
    "user.password_change": _kind(_l("Password changed"), _l("%(actor)s changed their password.")),
    "user.role_change": _kind(
        _l("Role changed"), _l("%(actor)s changed the role of %(user)s from %(before)s to "
                               "%(after)s.")),
    "user.enable": _kind(_l("Account enabled"), _l("%(actor)s enabled the account of %(user)s.")),
    "user.disable": _kind(_l("Account disabled"),
                          _l("%(actor)s disabled the account of %(user)s.")),
    "user.password_reset": _kind(_l("Password reset"),
                                 _l("%(actor)s reset the password of %(user)s.")),
    "user.password_reset_refused": _kind(
        _l("Password reset refused"),
        _l("%(actor)s could not reset the password of %(trainee)s from %(cohort)s: the trainee "
           "is also in a cohort they do not teach.")),
    # cohorts and enrolment
    "cohort.create": _kind(_l("Cohort created"), _l("%(actor)s created the cohort %(cohort)s.")),
    "cohort.assign_trainer": _kind(_l("Trainer assigned"),
                                   _l("%(actor)s made %(trainee)s a trainer of %(cohort)s.")),
    "cohort.enrol": _kind(_l("Trainee enrolled"),
                          _l("%(actor)s enrolled %(trainee)s in %(cohort)s.")),
    "cohort.unenrol": _kind(_l("Trainee removed"),
                            _l("%(actor)s removed %(trainee)s from %(cohort)s.")),
    "cohort.import_preview": _kind(
        _l("Roster previewed"),
        _l("%(actor)s previewed the roster %(file)s for %(cohort)s: %(rows)s rows, %(errors)s "
           "errors.")),
    "cohort.import": _kind(
        _l("Roster imported"),
        _l("%(actor)s imported the roster %(file)s into %(cohort)s: %(rows)s rows, %(created)s "
           "new accounts.")),
    "cohort.import_refused": _kind(
        _l("Roster refused"),
        _l("%(actor)s could not import the roster %(file)s into %(cohort)s: it holds accounts "
           "of other cohorts, which only an administrator may enrol.")),
    "cohort.enrol_refused": _kind(
        _l("Enrolment refused"),
        _l("%(actor)s could not enrol an account of another cohort in %(cohort)s.")),
    # certificates
    "certificate.issue": _kind(
        _l("Certificate issued"),
        _l("%(actor)s issued certificate %(code)s to %(holder)s for %(course)s, reason: "
           "%(reason)s")),
    "certificate.issue/automatic": _kind(
        _l("Certificate issued"),
        _l("Certificate %(code)s was issued to %(holder)s for %(course)s: the course was "
           "completed.")),
    "certificate.revoke": _kind(
        _l("Certificate revoked"),
        _l("%(actor)s revoked certificate %(code)s of %(holder)s, reason: %(reason)s")),
    "certificate.reissue": _kind(
        _l("Certificate reissued"),
        _l("%(actor)s reissued certificate %(old_code)s of %(holder)s as %(code)s, reason: "
           "%(reason)s")),
    # grading and quizzes
    "attempt.grade": _kind(
        _l("Essay graded"),
        _l("%(actor)s graded attempt %(attempt)s of %(trainee)s in %(quiz)s: %(before)s → "
           "%(after)s.")),
    "attempt.regrade": _kind(
        _l("Attempt regraded"),
        _l("%(actor)s regraded attempt %(attempt)s of %(trainee)s in %(quiz)s: %(before)s → "
           "%(after)s.")),
    "quiz.regrade": _kind(_l("Quiz regraded"),
                          _l("%(actor)s regraded %(attempts)s attempts of %(quiz)s.")),
    "quiz.import": _kind(
        _l("Questions imported"),
        _l("%(actor)s imported %(file)s into %(quiz)s: %(created)s questions added, "
           "%(updated)s changed.")),
    "quiz.export": _kind(_l("Questions exported"),
                         _l("%(actor)s exported %(exported)s questions of %(quiz)s.")),
    # content
    "content.publish": _kind(_l("Content published"),
                             _l("%(actor)s published changes to %(course)s.")),
    "content.delete": _kind(_l("Content deleted"),
                            _l("%(actor)s deleted %(item)s of %(course)s.")),
    "content.archive": _kind(_l("Content archived"),
                             _l("%(actor)s archived %(item)s of %(course)s.")),
    "content.unarchive": _kind(_l("Content brought back"),
                               _l("%(actor)s brought back %(item)s of %(course)s.")),
    # exports
    "export.scores": _kind(
        _l("Scores downloaded"),
        _l("%(actor)s downloaded the scores of %(cohort)s (%(format)s, %(rows)s rows).")),
    "export.certificates": _kind(
        _l("Certificate register downloaded"),
        _l("%(actor)s downloaded the certificate register of %(cohort)s (%(format)s, %(rows)s "
           "rows).")),
    "export.certificate_pdfs": _kind(
        _l("Certificate PDFs downloaded"),
        _l("%(actor)s downloaded the PDFs of %(files)s certificates of %(cohort)s.")),
    "export.credentials": _kind(
        _l("One-time passwords downloaded"),
        _l("%(actor)s downloaded the one-time passwords of %(cohort)s (%(rows)s rows).")),
    # the office: cohorts, organisations, dates, invitations, API keys (issues 19, 20, 22)
    "cohort.update": _kind(_l("Cohort changed"), _l("%(actor)s changed the cohort %(cohort)s.")),
    "cohort.archive": _kind(_l("Cohort archived"), _l("%(actor)s archived the cohort %(cohort)s.")),
    "cohort.unarchive": _kind(_l("Cohort brought back"),
                              _l("%(actor)s made the cohort %(cohort)s active again.")),
    "cohort.remove_trainer": _kind(_l("Trainer removed"),
                                   _l("%(actor)s removed %(trainee)s from the trainers of "
                                      "%(cohort)s.")),
    "cohort.move": _kind(_l("Trainee moved"),
                         _l("%(actor)s moved %(trainee)s from %(cohort)s to %(to_cohort)s.")),
    "cohort.passwords_ready": _kind(
        _l("One-time passwords ready"),
        _l("The one-time passwords of the accounts imported into %(cohort)s are ready.")),
    "cohort.passwords_failed": _kind(
        _l("One-time passwords failed"),
        _l("The one-time passwords of the accounts imported into %(cohort)s could not be "
           "prepared; reset those passwords.")),
    "organisation.create": _kind(_l("Organisation created"),
                                 _l("%(actor)s created the organisation %(organisation)s.")),
    "organisation.update": _kind(_l("Organisation changed"),
                                 _l("%(actor)s changed the organisation %(organisation)s.")),
    "organisation.image": _kind(_l("Organisation image saved"),
                                _l("%(actor)s saved an image (%(kind)s) of %(organisation)s.")),
    "organisation.image_remove": _kind(
        _l("Organisation image removed"),
        _l("%(actor)s removed an image (%(kind)s) of %(organisation)s.")),
    "organisation.archive": _kind(_l("Organisation archived"),
                                  _l("%(actor)s archived the organisation %(organisation)s.")),
    "organisation.unarchive": _kind(
        _l("Organisation brought back"),
        _l("%(actor)s made the organisation %(organisation)s active again.")),
    "override.create": _kind(_l("Override given"),
                             _l("%(actor)s gave %(trainee)s an override in %(cohort)s.")),
    "override.update": _kind(_l("Override changed"),
                             _l("%(actor)s changed the override of %(trainee)s in %(cohort)s.")),
    "override.delete": _kind(_l("Override deleted"),
                             _l("%(actor)s deleted the override of %(trainee)s in %(cohort)s.")),
    "quiz_window.set": _kind(_l("Quiz dates set"),
                             _l("%(actor)s set the dates of %(quiz)s for %(cohort)s.")),
    "quiz_window.clear": _kind(_l("Quiz dates cleared"),
                               _l("%(actor)s cleared the dates of %(quiz)s for %(cohort)s.")),
    "user.invite": _kind(_l("Invitation sent"), _l("%(actor)s invited %(email)s by mail.")),
    "user.invite_refused": _kind(_l("Invitation refused"),
                                 _l("%(actor)s could not re-send the invitation of %(user)s.")),
    "user.invitation_accepted": _kind(_l("Invitation accepted"),
                                      _l("%(actor)s accepted their invitation.")),
    "notify.preferences": _kind(_l("Notifications changed"),
                                _l("%(actor)s changed which mails they receive.")),
    "notify.unsubscribe": _kind(_l("Unsubscribed"),
                                _l("%(user)s turned off a kind of mail (%(kind)s) by its link.")),
    "api_key.create": _kind(_l("API key made"), _l("%(actor)s made the API key “%(name)s”.")),
    "api_key.revoke": _kind(_l("API key revoked"),
                            _l("%(actor)s revoked the API key “%(name)s”.")),
    "audit.export": _kind(_l("Audit log downloaded"),
                          _l("%(actor)s downloaded %(rows)s events of the audit log.")),
    # failed background jobs (admin/jobs_views.py)
    "jobs.retry": _kind(_l("Failed job retried"),
                        _l("%(actor)s put the failed job %(job)s back on the queue.")),
    "jobs.delete": _kind(_l("Failed job deleted"),
                         _l("%(actor)s deleted the failed job %(job)s.")),
}

GENERIC = _l("%(actor)s: %(action)s (%(target)s).")
SOMEONE = _l("The system")
MISSING = "–"


class Params(dict[str, Any]):
    """Named parameters of a sentence; one an event lacks reads "–" instead of failing."""

    def __missing__(self, key: str) -> str:
        return MISSING


def kind_key(action: str, details: dict[str, Any]) -> str:
    """The registry key of an event: its action, or a variant of it."""
    if action == "certificate.issue" and details.get("automatic"):
        return "certificate.issue/automatic"
    return action


def sentence(action: str, details: dict[str, Any], params: dict[str, Any]) -> str:
    """The event as a sentence in the current language."""
    kind = KINDS.get(kind_key(action, details))
    text = str(kind.sentence if kind else GENERIC)
    return text % Params({"action": action, **params})


def label(action: str) -> str:
    """The kind of an action for the filter; an unknown one shows its code."""
    kind = KINDS.get(action)
    return str(kind.label) if kind else action


def kind_choices(seen: list[str]) -> list[tuple[str, str]]:
    """Every known kind and every other action found in the log, by their names."""
    actions = {key for key in KINDS if "/" not in key} | set(seen)
    return sorted(((a, label(a)) for a in actions), key=lambda pair: text_key(pair[1]))
