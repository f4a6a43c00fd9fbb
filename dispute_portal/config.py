"""Defaults for every number a merchant may change.

Override them in ``instance/config.py`` or with ``DISPUTE_PORTAL_<NAME>`` environment
variables (values are parsed as JSON where possible, so ``DISPUTE_PORTAL_MAX_PHOTOS=12``).
"""

MB = 1024 * 1024

# Left empty on purpose: create_app refuses to start in production without one.
SECRET_KEY = None

# Relative SQLite paths are resolved inside the instance folder by create_app.
SQLALCHEMY_DATABASE_URI = "sqlite:///dispute_portal.sqlite"
SQLITE_BUSY_TIMEOUT_MS = 5000
EVIDENCE_FOLDER = "evidence"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False
PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"

# Dispute rules (days)
DISPUTE_WINDOW_DAYS = 30
SELLER_RESPONSE_DAYS = 5
# If set (minor units), a silent seller's dispute claiming no more than this is accepted
# for the buyer instead of going to review.
AUTO_ACCEPT_UP_TO_MINOR = None
OFFER_LAPSE_DAYS = 3
ESCALATE_FROM_DAYS = 3  # either party may escalate a negotiation from this day on
AUTO_ESCALATE_DAYS = 15  # ...and it escalates by itself on this day after submission
INFO_REPLY_DAYS = 3
REVIEW_TARGET_DAYS = 7
REVIEW_FAILSAFE_DAYS = 30  # undecided this long: the buyer's request is granted
RETURN_SHIP_DAYS = 7
RETURN_CONFIRM_DAYS = 3
APPEAL_DAYS = 30
# Tests (and only tests) set an aware UTC datetime here to freeze business time.
CLOCK_NOW = None

# Evidence limits
MAX_PHOTOS = 10
MAX_PHOTO_BYTES = 20 * MB
MAX_PHOTO_PIXELS = 50_000_000
# One no-JS request may carry several photos; Werkzeug refuses bigger bodies with 413.
MAX_CONTENT_LENGTH = 100 * MB
# Text fields are small (a description is at most 5,000 characters); files spool to disk.
# Werkzeug also applies this to each chunk it buffers while parsing, so not smaller.
MAX_FORM_MEMORY_SIZE = 512 * 1024
MAX_FORM_PARTS = 100
# After a 413, read and discard at most this much of the body so the browser sees our
# message instead of a reset connection.
OVERSIZE_DRAIN_BYTES = 2 * MAX_CONTENT_LENGTH
OVERSIZE_DRAIN_SECONDS = 30
# Orphan photo files younger than this are left alone by `flask sweep-evidence`: they may
# belong to an upload that is still being committed.
ORPHAN_GRACE_MINUTES = 60
DESCRIPTION_MIN_CHARS = 20
DESCRIPTION_MAX_CHARS = 5000
CAPTION_MAX_CHARS = 200

# Static URLs carry a content hash (assets.asset_url), so browsers may keep them a year.
SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600
COMPRESS_ALGORITHM = ["br", "gzip", "deflate"]

BABEL_DEFAULT_LOCALE = "en"
BABEL_DEFAULT_TIMEZONE = "UTC"

# Running in production (docs/deploy.md)
# HTTPS=true: cookies only over HTTPS, and browsers told to use nothing else (HSTS).
HTTPS = False
HSTS_MAX_AGE = 365 * 24 * 3600
# Behind a reverse proxy, how many proxies set each X-Forwarded-* header (0: ignore it).
PROXY_FIX_X_FOR = 0
PROXY_FIX_X_PROTO = 0
PROXY_FIX_X_HOST = 0
PROXY_FIX_X_PORT = 0
PROXY_FIX_X_PREFIX = 0
# Sign-in throttling: failures allowed per account and per address within the window.
SIGN_IN_WINDOW_MINUTES = 15
SIGN_IN_MAX_FAILURES_PER_ACCOUNT = 5
SIGN_IN_MAX_FAILURES_PER_ADDRESS = 20
# `flask sweep-drafts` deletes drafts untouched for this long, with their photos.
DRAFT_RETENTION_DAYS = 7

# Email. With MAIL_SMTP_HOST set, mail goes through that server (STARTTLS unless
# MAIL_SMTP_SSL); otherwise MAIL_BACKEND "file" writes .eml files to MAIL_OUTBOX (inside
# the instance folder unless absolute) and "console" prints them.
MAIL_FROM = "Dispute Portal <disputes@localhost>"
MAIL_SMTP_HOST = None
MAIL_SMTP_PORT = 587
MAIL_SMTP_USER = None
MAIL_SMTP_PASSWORD = None
MAIL_SMTP_STARTTLS = True
MAIL_SMTP_SSL = False
MAIL_SMTP_TIMEOUT = 20
MAIL_BACKEND = "file"
MAIL_OUTBOX = "outbox"
# Links in emails start with this (e.g. "https://disputes.example.com"); unset, the
# address the request came to, or http://localhost:8000 from `flask run-timers`.
PORTAL_URL = None
# Reminders go out this many hours before a deadline that a buyer or seller owns.
REMINDER_HOURS_BEFORE = 24

# Conversation and records
MESSAGE_MAX_PHOTOS = 5
# A dispute's downloadable record (ZIP) stays under this: a card network's packet limit.
RECORD_MAX_BYTES = 4_500_000
