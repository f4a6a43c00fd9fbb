import io
import tarfile
import threading

from dispute_journey import Journey
from photo_samples import make_photo
from sqlalchemy import func, select

from dispute_portal.extensions import db
from dispute_portal.models import EvidencePhoto

from conftest import make_test_app, on_postgres, sqlite_only


def _empty_instance(tmp_path, name):
    folder = tmp_path / name
    return make_test_app(folder, f"sqlite:///{folder / 'restored.sqlite'}")


def _photo_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(EvidencePhoto))


@sqlite_only
def test_backup_while_photos_upload_restores_into_an_empty_instance_clean(app, tmp_path):
    uploader = Journey(app, app.test_client())
    uploader.client.post(
        "/sign-in", data={"email": "buyer@example.com", "password": "buyer-pass-1"}
    )
    uploader.start("1002")
    uploads = threading.Thread(
        target=lambda: [uploader.upload((f"p{i}.jpg", make_photo(seed=i))) for i in range(6)]
    )
    runner, archives = app.test_cli_runner(), []
    uploads.start()
    while uploads.is_alive() and len(archives) < 6:
        archive = tmp_path / f"backup-{len(archives)}.tar.gz"
        result = runner.invoke(args=["backup", str(archive)])
        assert result.exit_code == 0, result.output
        archives.append(archive)
    uploads.join()
    assert len(archives) >= 2  # at least one backup ran while photos were arriving
    archives.append(tmp_path / "backup-final.tar.gz")
    assert runner.invoke(args=["backup", str(archives[-1])]).exit_code == 0
    for n, archive in enumerate(archives):
        restored = _empty_instance(tmp_path, f"restored-{n}")
        result = restored.test_cli_runner().invoke(args=["restore", str(archive)])
        assert result.exit_code == 0, result.output
        check = restored.test_cli_runner().invoke(args=["check-evidence"])
        assert check.exit_code == 0, check.output
    assert _photo_count(restored) == _photo_count(app) == 6


@sqlite_only
def test_restore_refuses_a_non_empty_instance_and_a_damaged_archive(app, journey, tmp_path):
    journey.complete("1002")
    archive = tmp_path / "backup.tar.gz"
    assert app.test_cli_runner().invoke(args=["backup", str(archive)]).exit_code == 0
    again = app.test_cli_runner().invoke(args=["backup", str(archive)])
    assert again.exit_code == 1 and "exists already" in again.output
    into_itself = app.test_cli_runner().invoke(args=["restore", str(archive)])
    assert into_itself.exit_code == 1 and "has data already" in into_itself.output

    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.endswith(".thumb.jpg"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            target.addfile(member, io.BytesIO(data))
    restored = _empty_instance(tmp_path, "restored")
    result = restored.test_cli_runner().invoke(args=["restore", str(damaged)])
    assert result.exit_code == 1
    assert "does not match its SHA-256 sum" in result.output
    assert not any((tmp_path / "restored").rglob("*.jpg"))


@on_postgres
def test_backup_on_postgresql_points_to_pg_dump(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.tar.gz")])
    assert result.exit_code == 1
    assert "pg_dump" in result.output
