"""The dispute's message thread (post with photos, as a page or a fragment) and its record."""

import io
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
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import party_role
from ..action_forms import MessageForm
from ..conversation import MessageRefused, can_post, can_read_thread, post_message
from ..evidence import EvidenceLimits
from ..models import Role
from ..records import build_record, plan
from .loaders import visible_dispute_or_404
from .rendering import wants_fragment

bp = Blueprint("messages", __name__, url_prefix="/disputes/<reference>")


def _folder() -> Path:
    return Path(current_app.config["EVIDENCE_FOLDER"])


def thread_context(dispute, form=None, errors=()) -> dict:
    """What the dispute and review pages need to show the thread and the record link."""
    readable = can_read_thread(current_user, dispute)
    limit = current_app.config["RECORD_MAX_BYTES"]
    return {
        "can_read_thread": readable,
        "can_post": readable and can_post(current_user, dispute),
        "message_form": form or MessageForm(formdata=None),
        "message_errors": list(errors),
        "max_message_photos": current_app.config["MESSAGE_MAX_PHOTOS"],
        "record_omitted": plan(dispute, limit)[1] if readable else [],
    }


def _thread_page(dispute) -> str:
    endpoint = "reviewer.case" if current_user.role == Role.REVIEWER else "disputes.dispute_page"
    return url_for(endpoint, reference=dispute.reference, _anchor="messages")


def _post(dispute, form) -> tuple:
    """(message, None) or (None, errors)."""
    config = current_app.config
    uploads = [(f.filename, f.stream) for f in request.files.getlist("photos") if f.filename]
    limits = EvidenceLimits(0, config["MAX_PHOTO_BYTES"], config["MAX_PHOTO_PIXELS"])
    try:
        max_photos = config["MESSAGE_MAX_PHOTOS"]
        body = form.body.data
        return post_message(dispute, current_user, body, uploads, _folder(), limits, max_photos), []
    except MessageRefused as refused:
        return None, [(f"message-{refused.field}", str(refused.message))]


@bp.post("/messages")
@login_required
def post(reference: str):
    """Post a message with optional photos; an htmx request gets just the new message."""
    dispute = visible_dispute_or_404(reference)
    if not can_read_thread(current_user, dispute):
        abort(404)
    form = MessageForm()
    message, errors = _post(dispute, form) if form.validate_on_submit() else (None, [])
    if message is not None and wants_fragment():
        context = thread_context(dispute)
        return render_template(
            "disputes/_message_posted.html", message=message, dispute=dispute, **context
        )
    if message is not None:
        flash(_("Your message has been sent."))
        return redirect(_thread_page(dispute), code=303)
    context = {"dispute": dispute, **thread_context(dispute, form, errors)}
    if wants_fragment():  # the form, with its errors, replaces itself
        swap = {"HX-Retarget": "#message-form", "HX-Reswap": "outerHTML"}
        return render_template("disputes/_message_form.html", **context), 422, swap
    return render_template("disputes/message_problem.html", errors=errors, **context), 422


@bp.get("/record")
@login_required
def record(reference: str):
    """The dispute's record as a ZIP: summary, photos and their SHA-256 sums."""
    dispute = visible_dispute_or_404(reference)
    role = party_role(current_user, dispute)
    if role is None or dispute.is_draft:
        abort(404)
    built = build_record(dispute, role, _folder(), current_app.config["RECORD_MAX_BYTES"])
    return send_file(
        io.BytesIO(built.data),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"dispute-{dispute.reference}-record.zip",
    )
