"""organisations create, organisations list: the twins of /admin/organisations."""

from __future__ import annotations

import click

from ..organisations import service
from .common import unit_of_work

organisations = click.Group("organisations", help="Training organisations.")


@organisations.command("create")
@click.argument("slug")
@click.option("--name-vi", required=True, help="The name in Vietnamese.")
@click.option("--name-en", required=True, help="The name in English.")
@click.option("--signatory-name", default="", help="Printed under the signature.")
@click.option("--signatory-title", default="", help="Printed above the signature.")
@click.option("--offers", "offers", multiple=True, metavar="COURSE_SLUG",
              help="A course it offers (repeat for several).")
def create(slug: str, name_vi: str, name_en: str, signatory_name: str, signatory_title: str,
           offers: tuple[str, ...]) -> None:
    """A training organisation that issues its cohorts' certificates."""
    data = service.OrganisationData(slug, name_vi, name_en, signatory_name, signatory_title,
                                    list(offers))
    with unit_of_work():
        organisation = service.create(data, None)
    click.echo(f"created organisation {organisation.slug}")


@organisations.command("list")
def list_organisations() -> None:
    """Every organisation: slug, status, courses, Vietnamese name."""
    for organisation in service.listing(None):
        courses = ",".join(sorted(c.slug for c in organisation.courses)) or "-"
        status = "archived" if organisation.archived else "active"
        click.echo(f"{organisation.slug}\t{status}\t{courses}\t{organisation.name.get('vi')}")
