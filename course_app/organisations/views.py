"""Organisations for administrators (/admin/organisations), and their images for anyone: the
images are printed on certificates and shown on the public verification page. A site
administrator manages every organisation; an organisation's administrator only their own."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ..domain.errors import NotFound, ServiceError
from ..extensions import db
from ..models import Organisation
from ..models.organisation import IMAGE_KINDS
from ..security.access import access
from . import service
from .forms import IMAGE_LABELS, OrganisationForm
from .images import EXTENSIONS, MAX_IMAGE_BYTES

bp = Blueprint("organisations", __name__)

ERRORS = {
    "bad_slug": _l("Use lower-case letters, digits and hyphens only."),
    "slug_taken": _l("This slug is already in use by another organisation."),
    "name_required": _l("This name is required."),
    "too_long": _l("This text is too long."),
    "unknown_course": _l("Choose only listed courses."),
    "image_empty": _l("The file is empty."),
    "image_size": _l("The image is larger than %(kib)s KiB.", kib=MAX_IMAGE_BYTES // 1024),
    "image_type": _l("Only PNG and JPEG images can be uploaded."),
    "image_pixels": _l("The image is too large: at most 4000 pixels on each side."),
}
Page = tuple[str, int]


def _organisation_or_404(slug: str) -> Organisation:
    try:
        return service.by_slug(slug, current_user)
    except NotFound:
        abort(404)


def _site_admin_only() -> None:
    if current_user.organisation_id is not None:
        abort(404)


def _form(organisation: Organisation | None = None) -> OrganisationForm:
    form = OrganisationForm(obj=None) if organisation is None else OrganisationForm(
        data={"slug": organisation.slug, "name_vi": organisation.name.get("vi", ""),
              "name_en": organisation.name.get("en", ""),
              "signatory_name": organisation.signatory_name or "",
              "signatory_title": organisation.signatory_title or "",
              "courses": [c.slug for c in organisation.courses]})
    form.courses.choices = [(c.slug, (c.title or {}).get("vi") or c.slug)
                            for c in service.offerable_courses()]
    return form


def _uploads(form: OrganisationForm) -> dict[str, bytes]:
    found = {}
    for kind in IMAGE_KINDS:
        upload = getattr(form, kind).data
        if upload is not None and getattr(upload, "filename", ""):
            with upload.stream:  # a large upload is spooled to a temporary file: closed here
                found[kind] = upload.stream.read(MAX_IMAGE_BYTES + 1)
    return found


def _data(form: OrganisationForm) -> service.OrganisationData:
    return service.OrganisationData(
        slug=form.slug.data or "", name_vi=form.name_vi.data or "",
        name_en=form.name_en.data or "", signatory_name=form.signatory_name.data or "",
        signatory_title=form.signatory_title.data or "",
        course_slugs=list(form.courses.data or []))


def _page(form: OrganisationForm, organisation: Organisation | None, status: int = 200) -> Page:
    images = service.images_of([organisation.id]).get(organisation.id, {}) \
        if organisation else {}
    return render_template("organisations/form.html", form=form, organisation=organisation,
                           images=images, image_labels=IMAGE_LABELS, kinds=IMAGE_KINDS,
                           max_kib=MAX_IMAGE_BYTES // 1024), status


def _refuse(form: OrganisationForm, organisation: Organisation | None,
            error: ServiceError) -> Page:
    db.session.rollback()
    field = getattr(form, str(error.params.get("field", "slug")), form.slug)
    field.errors = [*field.errors, str(ERRORS.get(error.code, error.message))]
    return _page(form, organisation, 400)


def _save(form: OrganisationForm, existing: Organisation | None) -> Response | Page:
    if not form.validate():
        return _page(form, existing, 400)
    organisation = existing
    uploads = _uploads(form)
    try:
        service.check_images(uploads)  # before anything is written
        if organisation is None:
            organisation = service.create(_data(form), current_user)
        else:
            service.update(organisation, _data(form), current_user)
        service.set_images(organisation, uploads, current_user)
        service.remove_images(organisation, [k for k in IMAGE_KINDS if k not in uploads
                                             and getattr(form, f"remove_{k}").data],
                              current_user)
    except NotFound:
        abort(404)
    except ServiceError as error:
        return _refuse(form, existing, error)
    flash(_("The organisation %(name)s is saved.", name=organisation.name.get("vi")), "success")
    return redirect(url_for("organisations.index"))


@bp.route("/admin/organisations")
@access("admin")
def index() -> Page:
    found = service.listing(current_user)
    return render_template("organisations/index.html", organisations=found,
                           images=service.images_of([o.id for o in found]),
                           image_labels=IMAGE_LABELS, site_admin=current_user.organisation_id
                           is None), 200


@bp.route("/admin/organisations/new", methods=["GET", "POST"])
@access("admin")
def new() -> Response | Page:
    _site_admin_only()
    form = _form()
    if form.is_submitted():
        return _save(form, None)
    return _page(form, None)


@bp.route("/admin/organisations/<slug>/edit", methods=["GET", "POST"])
@access("admin")
def edit(slug: str) -> Response | Page:
    organisation = _organisation_or_404(slug)
    form = _form(organisation)
    if form.is_submitted():
        return _save(form, organisation)
    return _page(form, organisation)


def _archive(slug: str, archived: bool) -> Response:
    _site_admin_only()
    organisation = _organisation_or_404(slug)
    if service.set_archived(organisation, archived, current_user):
        flash(_("%(name)s is archived.", name=organisation.name.get("vi")) if archived else
              _("%(name)s is in use again.", name=organisation.name.get("vi")), "success")
    return redirect(url_for("organisations.index"))


@bp.route("/admin/organisations/<slug>/archive", methods=["POST"])
@access("admin")
def archive(slug: str) -> Response:
    return _archive(slug, True)


@bp.route("/admin/organisations/<slug>/unarchive", methods=["POST"])
@access("admin")
def unarchive(slug: str) -> Response:
    return _archive(slug, False)


@bp.route("/organisations/<slug>/<any(logo, signature, seal):kind>-<sha>.<ext>")
@access("public")
def image(slug: str, kind: str, sha: str, ext: str) -> Response:
    """Named by its digest, so a changed image has a new address and this one may be cached
    for good."""
    try:
        found = service.image(slug, kind, sha)
    except NotFound:
        abort(404)
    if EXTENSIONS.get(found.content_type) != ext:
        abort(404)
    response = make_response(found.data)
    response.headers["Content-Type"] = found.content_type
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def image_url(slug: str, row: Any) -> str:
    return url_for("organisations.image", slug=slug, kind=row.kind, sha=row.sha256,
                   ext=EXTENSIONS.get(row.content_type, "png"))


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"organisation_image_url": image_url}
