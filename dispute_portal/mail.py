"""Sending email: SMTP when MAIL_SMTP_HOST is set, else .eml files or the console.

The default (MAIL_BACKEND = "file") writes each message to instance/outbox/, so the
portal sends nothing anywhere until an operator configures a mail server.
"""

import smtplib
import sys
import time
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

from flask import current_app

from .clock import now


def build(to: str, subject: str, body: str, locale: str) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(now())
    domain = parseaddr(config["MAIL_FROM"])[1].rpartition("@")[2]
    message["Message-ID"] = make_msgid(domain=domain or None)
    message.set_content(body)
    message["Content-Language"] = locale.replace("_", "-")  # after: set_content resets it
    return message


def send(message: EmailMessage) -> None:
    """Hand the message to the configured backend; raises OSError/SMTPException on failure."""
    config = current_app.config
    if config["MAIL_SMTP_HOST"]:
        _smtp(message, config)
    elif config["MAIL_BACKEND"] == "console":
        print(message.as_string(), file=sys.stdout, flush=True)
    else:
        _to_file(message, outbox_folder())


def outbox_folder() -> Path:
    return Path(current_app.instance_path) / current_app.config["MAIL_OUTBOX"]


def _to_file(message: EmailMessage, folder: Path) -> None:
    folder.mkdir(mode=0o750, parents=True, exist_ok=True)
    stem = f"{time.time_ns()}-{message['Message-ID'].strip('<>').partition('@')[0]}"
    (folder / f"{stem}.eml").write_bytes(bytes(message))


def _smtp(message: EmailMessage, config) -> None:
    host, port = config["MAIL_SMTP_HOST"], int(config["MAIL_SMTP_PORT"])
    timeout = config["MAIL_SMTP_TIMEOUT"]
    if config["MAIL_SMTP_SSL"]:
        server = smtplib.SMTP_SSL(host, port, timeout=timeout)
    else:
        server = smtplib.SMTP(host, port, timeout=timeout)
    with server:
        if config["MAIL_SMTP_STARTTLS"] and not config["MAIL_SMTP_SSL"]:
            server.starttls()
        if config["MAIL_SMTP_USER"]:
            server.login(config["MAIL_SMTP_USER"], config["MAIL_SMTP_PASSWORD"])
        server.send_message(message)
