"""Signing in and out."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from .. import throttle
from ..database import begin_write
from ..extensions import db
from ..forms import SignInForm, error_list
from ..i18n import remember_locale, supported
from ..models import User, utcnow
from ..passwords import hash_password, verify_password
from .loaders import same_site_path
from .orders import home_url

bp = Blueprint("auth", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Sign in with email address and password."""
    if current_user.is_authenticated:
        return redirect(url_for("orders.home"))
    form = SignInForm()
    if form.validate_on_submit():
        email, now = form.email.data.strip().lower(), utcnow()
        wait = throttle.retry_after(email, request.remote_addr, now)
        if wait is not None:
            return _too_many_attempts(form, wait)
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is None:
            hash_password(form.password.data)  # same work either way: no timing hint
        elif verify_password(user.password_hash, form.password.data) and user.active:
            throttle.forget_account_failures(email)
            login_user(user)
            response = redirect(same_site_path(request.args.get("next")) or home_url())
            if supported(user.locale):
                # Their saved language, also on the pages they see after signing out.
                remember_locale(response, user.locale)
            return response
        throttle.record_failure(email, request.remote_addr, now)
        form.email.errors.append(_("Enter a correct email address and password"))
    status = 422 if form.errors else 200
    return render_template("auth/sign_in.html", form=form, errors=error_list(form)), status


def _too_many_attempts(form: SignInForm, wait_seconds: int):
    """The same answer whether or not the account exists: it tells an attacker nothing."""
    minutes = -(-wait_seconds // 60)
    form.email.errors.append(
        ngettext(
            "Too many attempts to sign in. Wait %(num)d minute, then try again.",
            "Too many attempts to sign in. Wait %(num)d minutes, then try again.",
            minutes,
        )
    )
    page = render_template("auth/sign_in.html", form=form, errors=error_list(form))
    return page, 429, {"Retry-After": str(wait_seconds)}


@bp.post("/sign-out")
@login_required
def sign_out():
    """Sign out, and make every copy of this session's cookie worthless."""
    begin_write()
    current_user.session_version += 1
    db.session.commit()
    logout_user()
    flash(_("You have signed out."))
    return redirect(url_for("auth.sign_in"))
