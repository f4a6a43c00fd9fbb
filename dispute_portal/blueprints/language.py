"""The language switcher: a plain form, so it works without JavaScript."""

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from ..database import begin_write
from ..extensions import db
from ..i18n import remember_locale, supported
from .loaders import same_site_path

bp = Blueprint("language", __name__)


def _same_site_page(target: str | None) -> str | None:
    """A path on this site that a GET can show, or None: never an off-site redirect."""
    if same_site_path(target) is None:
        return None
    path = target.split("?", 1)[0].split("#", 1)[0]
    try:
        current_app.url_map.bind("localhost").match(path, method="GET")
    except RequestRedirect:
        pass  # e.g. a missing trailing slash: the page exists
    except HTTPException:
        return None  # no such page, or one that only takes a POST
    return target


@bp.post("/language")
def choose():
    """Remember the chosen language, then go back to the page it was chosen on."""
    code = supported(request.form.get("locale"))
    if code is None:
        abort(400)
    if current_user.is_authenticated and current_user.locale != code:
        begin_write()
        current_user.locale = code
        db.session.commit()
    target = _same_site_page(request.form.get("next")) or url_for("orders.home")
    return remember_locale(redirect(target, code=303), code)
