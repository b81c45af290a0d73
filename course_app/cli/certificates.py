"""certificates issue / revoke / reissue: by hand, with a reason, audited."""

from __future__ import annotations

import click

from ..certificates import service as certificates
from ..domain.errors import ServiceError
from ..models import Certificate, User
from ..people import accounts
from .common import unit_of_work

certificates_group = click.Group("certificates", help="Manual issue, revocation and reissue.")


def _trainee(email: str) -> User:
    user = accounts.find_user(email)
    if user is None:
        raise ServiceError("not_found", f"no account has the email {email}")
    return user


def _report(action: str, certificate: Certificate) -> None:
    url = certificates.public_url("certificates.verify", code=certificate.code)
    click.echo(f"{action} certificate {certificate.code} for {certificate.holder_name}")
    click.echo(f"verify: {url}")


@certificates_group.command("issue")
@click.option("--email", required=True, help="The trainee's email.")
@click.option("--course", "course_slug", required=True, help="The course slug.")
@click.option("--reason", required=True, help="Why (e.g. attended in person); audited.")
def issue(email: str, course_slug: str, reason: str) -> None:
    """Issue a certificate by hand to a trainee enrolled in the course."""
    with unit_of_work():
        trainee = _trainee(email)
        course = accounts.get_course(course_slug)
        certificate = certificates.issue_manually(trainee, course, reason, actor=None)
    _report("issued", certificate)


def _certificate(code: str) -> Certificate:
    try:
        return certificates.by_code(code.strip())
    except ServiceError:
        raise ServiceError("not_found", f"no certificate has the code {code[:64]}") from None


# Codes issued before the rule of domain/certificates.py may begin with "-": such an argument
# is taken as the code, not refused as an unknown option ("revoke -abc…", or "revoke -- -abc…"
# after the options).
CODE_COMMAND = {"ignore_unknown_options": True}


@certificates_group.command("revoke", context_settings=CODE_COMMAND)
@click.argument("code")
@click.option("--reason", required=True, help="Why; shown on the verification page.")
def revoke(code: str, reason: str) -> None:
    """Revoke a certificate: verification shows it as revoked, with the date and reason."""
    with unit_of_work():
        certificate = certificates.revoke(_certificate(code), reason, actor=None)
    _report("revoked", certificate)


@certificates_group.command("reissue", context_settings=CODE_COMMAND)
@click.argument("code")
@click.option("--reason", required=True, help="Why (e.g. name corrected); audited.")
def reissue(code: str, reason: str) -> None:
    """Replace a certificate by a new one (new code, today's date, current name and unit)."""
    with unit_of_work():
        replacement = certificates.reissue(_certificate(code), reason, actor=None)
    _report("reissued", replacement)
    click.echo(f"the old code {code.strip()} now shows as superseded")
