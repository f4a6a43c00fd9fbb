"""The signed-in person's notifications, and the unread count in every page's header."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from .. import notifications
from ..i18n import long_date
from ..notice_texts import text_of

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def unread_notifications() -> dict:
    """The header's count: computed only when a template asks for it."""

    def count() -> int:
        return notifications.unread_count(current_user) if current_user.is_authenticated else 0

    return {"unread_notifications": count}


@bp.get("/notifications")
@login_required
def notification_list():
    """Newest first; what was unread is marked as new, then counts as read."""
    notices = notifications.latest_for(current_user)
    page = render_template(
        "notifications/list.html",
        notices=notices,
        text_of=lambda notice: text_of(notice, _deadline(notice)),
    )
    if any(notice.read_at is None for notice in notices):
        notifications.mark_all_read(current_user)
    return page


def _deadline(notice) -> str:
    return long_date(notice.dispute.deadline_at)
