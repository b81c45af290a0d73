"""/admin/api-keys: an organisation's admin makes, lists and revokes its API keys; a site admin
(no organisation) picks the organisation first. A new key is shown once, on the answer to the
POST that made it (no-store), never in a redirect, the session or a log. Non-admins get 404;
an admin of another organisation too."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import Forbidden, NotFound
from werkzeug.wrappers import Response

from ..error_pages import handle_http_error
from ..extensions import db
from ..i18n import tr
from ..models import ApiKey, Organisation
from ..security.access import access
from . import keys
from .forms import NewKeyForm, OrganisationPickForm
from .reference import operations

bp = Blueprint("api_keys", __name__, url_prefix="/admin/api-keys")
# The page does not exist for anyone but an admin (the gate answers 403 for the others).
bp.register_error_handler(Forbidden, lambda _error: handle_http_error(NotFound()))


def _organisations() -> list[Organisation]:
    query = sa.select(Organisation).order_by(Organisation.slug)
    if current_user.organisation_id is not None:
        query = query.where(Organisation.id == current_user.organisation_id)
    return list(db.session.scalars(query))


def _chosen(slug: str | None) -> Organisation | None:
    """The organisation whose keys are managed: an organisation admin's own, always; a site
    admin's pick (None until they pick one)."""
    if current_user.organisation_id is not None:
        return db.session.get(Organisation, current_user.organisation_id)
    if not slug:
        return None
    found = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if found is None:
        abort(404)
    return found


def _organisation_of(slug: str | None) -> Organisation | None:
    try:
        return _chosen(slug)
    except NotFound:
        return None


def _name(organisation: Organisation) -> str:
    return tr(organisation.name) or organisation.slug


def _page(organisation: Organisation | None, form: NewKeyForm | None = None,
          new: keys.NewKey | None = None, status: int = 200,
          pick_error: bool = False) -> tuple[str, int]:
    picker = OrganisationPickForm(formdata=None, organisation=organisation.slug
                                  if organisation else "")
    picker.organisation.choices = [("", _("Choose an organisation"))] + [
        (o.slug, _name(o)) for o in _organisations()]
    form = form or NewKeyForm(formdata=None, organisation=organisation.slug
                              if organisation else "")
    listed = keys.keys_of(organisation.id) if organisation else []
    return render_template("api/keys.html", organisation=organisation, picker=picker,
                           form=form, keys=listed, new=new,
                           site_admin=current_user.organisation_id is None,
                           pick_error=pick_error,
                           name=_name(organisation) if organisation else ""), status


@bp.route("")
@access("admin")
def index() -> tuple[str, int]:
    return _page(_chosen(request.args.get("organisation")))


@bp.route("", methods=["POST"])
@access("admin")
def create() -> tuple[str, int]:
    form = NewKeyForm()
    organisation = _organisation_of(form.organisation.data)
    if organisation is None:  # a site admin who picked none (or one that is gone)
        db.session.rollback()
        return _page(None, form, status=400, pick_error=True)
    if not form.validate():
        db.session.rollback()
        return _page(organisation, form, status=400)
    new = keys.create_key(organisation, form.name.data or "", current_user)
    return _page(organisation, NewKeyForm(formdata=None, organisation=organisation.slug), new)


def _key_or_404(key_id: int) -> tuple[Organisation, ApiKey]:
    key = db.session.get(ApiKey, key_id)
    own = current_user.organisation_id
    if key is None or (own is not None and key.organisation_id != own):
        abort(404)
    return db.session.get_one(Organisation, key.organisation_id), key


@bp.route("/<int:key_id>/revoke")
@access("admin")
def confirm_revoke(key_id: int) -> str:
    organisation, key = _key_or_404(key_id)
    return render_template("api/revoke.html", organisation=organisation, key=key,
                           name=_name(organisation))


@bp.route("/<int:key_id>/revoke", methods=["POST"])
@access("admin")
def revoke(key_id: int) -> Response:
    organisation, key = _key_or_404(key_id)
    if keys.revoke_key(key, current_user):
        flash(_("The key %(prefix)s… is revoked: it no longer opens the API.",
                prefix=key.prefix), "success")
    return redirect(url_for("api_keys.index", organisation=organisation.slug))


@bp.route("/reference")
@access("admin")
def reference() -> str:
    spec = current_app.extensions["course_app_api"].spec.to_dict()
    return render_template("api/reference.html", spec=spec, operations=operations(spec))


@bp.route("/openapi.json")
@access("admin")
def openapi() -> Response:
    response = jsonify(current_app.extensions["course_app_api"].spec.to_dict())
    response.headers["Content-Disposition"] = 'attachment; filename="openapi.json"'
    return response
