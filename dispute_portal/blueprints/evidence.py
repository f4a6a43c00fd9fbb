"""The photos step, and photo files served only to the people allowed to see them."""

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth import role_required
from ..drafts import is_answered, step_after
from ..evidence import (
    EvidenceLimits,
    EvidenceRefused,
    add_photo,
    evidence_total_bytes,
    remove_photo,
    save_caption,
)
from ..evidence_files import photo_path
from ..forms import caption_form, error_list
from ..models import Role
from ..photos import ACCEPTED_FORMATS_TEXT
from ..reasons import get_reason
from .loaders import back_url, own_draft, step_url, visible_photo_or_404
from .rendering import wants_fragment

bp = Blueprint("evidence", __name__)


def _folder() -> Path:
    return Path(current_app.config["EVIDENCE_FOLDER"])


def _limits() -> EvidenceLimits:
    config = current_app.config
    return EvidenceLimits(
        config["MAX_PHOTOS"], config["MAX_PHOTO_BYTES"], config["MAX_PHOTO_PIXELS"]
    )


def _photos_context(dispute, errors=()) -> dict:
    changing = (request.values.get("next") or "") == "check"
    return {
        "dispute": dispute,
        "reason": get_reason(dispute.reason),
        "limits": _limits(),
        "total_bytes": evidence_total_bytes(dispute),
        "accepted_formats": _(ACCEPTED_FORMATS_TEXT),
        "caption_max": current_app.config["CAPTION_MAX_CHARS"],
        "errors": list(errors),
        "changing": changing,
        "editable": True,
        "back_url": back_url(dispute, "photos", changing),
    }


def _render_photos(dispute, errors=(), status=None):
    status = status or (422 if errors else 200)
    return render_template("dispute_form/photos.html", **_photos_context(dispute, errors)), status


def _fragment(template: str, dispute, status: int = 200, errors=(), **extra):
    return render_template(
        f"dispute_form/{template}", **_photos_context(dispute, errors), **extra
    ), status


def _store(dispute, upload):
    return add_photo(dispute, current_user, upload.filename, upload.stream, _folder(), _limits())


def _upload_one(dispute, upload):
    """htmx sends each photo in its own request: answer with that photo, or why not."""
    try:
        photo = _store(dispute, upload)
    except EvidenceRefused as refused:
        message = f"{upload.filename}: {refused.message}"
        return _fragment("_upload_result.html", dispute, refused.status, message=message)
    return _fragment("_upload_result.html", dispute, photo=photo)


@bp.route("/disputes/<reference>/photos", methods=["GET", "POST"])
@role_required(Role.BUYER)
def photos(reference: str):
    """Upload photos (several at once, no JavaScript needed), then Continue."""
    dispute, done = own_draft(reference)
    if done:
        return done
    if request.method == "GET":
        return _render_photos(dispute)
    files = [f for f in request.files.getlist("photos") if f.filename]
    if wants_fragment() and len(files) == 1:
        return _upload_one(dispute, files[0])
    errors, stored, status = [], 0, None
    for upload in files:
        try:
            _store(dispute, upload)
            stored += 1
        except EvidenceRefused as refused:
            errors.append(("photos", f"{upload.filename}: {refused.message}"))
            status = max(status or 0, refused.status)
    continuing = request.form.get("action") == "continue"
    if not files and not continuing:
        errors.append(("photos", _("Select a photo to upload")))
    if continuing and not errors and not is_answered(dispute, "photos"):
        errors.append(("photos", _("Add at least one photo of the item as it arrived")))
    if errors:
        return _render_photos(dispute, errors, status)
    if stored:
        flash(ngettext("%(num)d photo uploaded", "%(num)d photos uploaded", stored))
    if continuing:
        changing = request.form.get("next") == "check"
        return redirect(step_url(dispute, step_after(dispute, "photos", changing), changing))
    return redirect(step_url(dispute, "photos", request.form.get("next") == "check"), code=303)


@bp.post("/photos/<public_id>/remove")
@role_required(Role.BUYER)
def remove(public_id: str):
    """Remove a photo from a draft."""
    photo = visible_photo_or_404(public_id)
    dispute, done = own_draft(photo.dispute.reference)
    if done:
        return done
    remove_photo(photo, _folder())
    if wants_fragment():  # the item disappears; the running total is sent out of band
        return _fragment("_photo_count.html", dispute, oob=True)
    flash(_("Photo removed"))
    return redirect(step_url(dispute, "photos", request.form.get("next") == "check"), code=303)


@bp.post("/photos/<public_id>/caption")
@role_required(Role.BUYER)
def caption(public_id: str):
    """Save a short caption that says what a photo shows."""
    photo = visible_photo_or_404(public_id)
    dispute, done = own_draft(photo.dispute.reference)
    if done:
        return done
    form = caption_form(current_app.config["CAPTION_MAX_CHARS"])()
    if not form.validate_on_submit():
        errors = [(f"caption-{public_id}", message) for _id, message in error_list(form)]
        if wants_fragment():
            return _fragment("_photo_item.html", dispute, 422, errors, photo=photo)
        return _render_photos(dispute, errors)
    save_caption(photo, form.caption.data)
    if wants_fragment():
        return _fragment("_photo_item.html", dispute, photo=photo, caption_saved=True)
    flash(_("Caption saved"))
    return redirect(step_url(dispute, "photos", request.form.get("next") == "check"), code=303)


@bp.get("/photos/<public_id>/<any(image, thumbnail):kind>")
def photo_file(public_id: str, kind: str):
    """A stored photo or its thumbnail, for the dispute's parties only (404 for others)."""
    if not current_user.is_authenticated:
        abort(404)  # not even a sign-in redirect: a photo URL reveals nothing
    photo = visible_photo_or_404(public_id)
    response = send_file(photo_path(_folder(), photo, kind), mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
