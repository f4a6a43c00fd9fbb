"""The sample production configs in deploy/ are valid, and agree with the app."""

import configparser
import re
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest
from gunicorn.config import Config

from dispute_portal import config

ROOT = Path(__file__).parent.parent
NGINX_SITE = ROOT / "deploy/nginx/dispute-portal.conf"
UNITS = sorted((ROOT / "deploy/systemd").iterdir())


def test_nginx_takes_exactly_the_bodies_the_app_takes():
    size = re.search(r"^\s*client_max_body_size (\d+)m;", NGINX_SITE.read_text(), re.M)
    assert int(size.group(1)) * 1024 * 1024 == config.MAX_CONTENT_LENGTH
    assert re.search(r"^\s*proxy_request_buffering on;", NGINX_SITE.read_text(), re.M)


def test_nginx_accepts_the_site(tmp_path):
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        pytest.skip("nginx is not installed (make test installs Debian's nginx)")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=portal.example.com", "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    site = NGINX_SITE.read_text()
    site = site.replace(
        "/etc/letsencrypt/live/portal.example.com/fullchain.pem", f"{tmp_path}/cert.pem"
    )
    site = site.replace(
        "/etc/letsencrypt/live/portal.example.com/privkey.pem", f"{tmp_path}/key.pem"
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n access_log off;\n client_body_temp_path {tmp_path}/body;\n"
        f" proxy_temp_path {tmp_path}/proxy;\n include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(path)
    return parser


def test_the_systemd_units_have_what_they_need():
    service = _unit(ROOT / "deploy/systemd/dispute-portal.service")
    assert "gunicorn --config gunicorn.conf.py wsgi:app" in service["Service"]["ExecStart"]
    assert service["Service"]["User"] == "dispute-portal"
    assert service["Install"]["WantedBy"] == "multi-user.target"
    timers = (ROOT / "deploy/systemd/dispute-portal-timers.service").read_text()
    for command in ("run-timers", "sweep-evidence", "sweep-drafts"):
        assert f"bin/flask {command}\n" in timers
    assert (
        _unit(ROOT / "deploy/systemd/dispute-portal-timers.service")["Service"]["Type"] == "oneshot"
    )
    timer = _unit(ROOT / "deploy/systemd/dispute-portal-timers.timer")
    assert timer["Timer"]["OnUnitActiveSec"] and timer["Install"]["WantedBy"] == "timers.target"


def test_systemd_verifies_the_units(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed: the units were only parsed")
    for unit in UNITS:  # the install folder becomes this checkout, which has the same files
        text = unit.read_text().replace("/srv/dispute-portal", str(ROOT))
        (tmp_path / unit.name).write_text(text.replace("User=dispute-portal", "User=root"))
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # unknown keys are only warned about


def test_gunicorn_loads_its_config():
    settings = Config()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in settings.settings:
            settings.set(name, value)
    assert settings.worker_class_str == "gthread"
    assert settings.workers >= 1 and settings.threads >= 2
    assert settings.timeout == 120 and settings.max_requests == 10000


def test_each_worker_hides_the_loaded_app_from_the_garbage_collector():
    import gc

    settings = Config()
    settings.set(
        "post_worker_init", runpy.run_path(str(ROOT / "gunicorn.conf.py"))["post_worker_init"]
    )
    assert gc.get_freeze_count() == 0
    try:
        settings.post_worker_init(None)  # what gunicorn calls once the worker loaded the app
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
