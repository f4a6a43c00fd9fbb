from datetime import timedelta
from pathlib import Path

from dispute_journey import get_dispute
from sqlalchemy import func, select, update

from dispute_portal.extensions import db
from dispute_portal.models import Dispute, DisputeItem, EvidencePhoto, utcnow


def _evidence(app) -> Path:
    return Path(app.config["EVIDENCE_FOLDER"])


def test_check_evidence_is_clean_then_reports_every_kind_of_mismatch(app, journey, runner):
    reference = journey.complete("1002")
    assert runner.invoke(args=["check-evidence"]).exit_code == 0
    folder = _evidence(app) / reference
    image = next(p for p in folder.iterdir() if not p.name.endswith(".thumb.jpg"))
    image.write_bytes(image.read_bytes() + b"x")
    next(folder.glob("*.thumb.jpg")).unlink()
    (folder / "stray.jpg").write_bytes(b"no row")
    result = runner.invoke(args=["check-evidence"])
    assert result.exit_code == 1
    assert "does not match its SHA-256" in result.output
    assert "the thumbnail file is missing" in result.output
    assert f"{reference}/stray.jpg: no photo row refers to this file" in result.output
    assert "3 problem(s)" in result.output
    image.unlink()
    assert "the image file is missing" in runner.invoke(args=["check-evidence"]).output


def _age(app, reference, days):
    with app.app_context():
        then = utcnow() - timedelta(days=days)
        dispute_id = db.session.scalar(select(Dispute.id).where(Dispute.reference == reference))
        db.session.execute(update(Dispute).where(Dispute.id == dispute_id).values(updated_at=then))
        db.session.execute(
            update(EvidencePhoto)
            .where(EvidencePhoto.dispute_id == dispute_id)
            .values(created_at=then)
        )
        db.session.commit()


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_sweep_drafts_deletes_drafts_untouched_for_a_week_with_their_files(app, journey, runner):
    old = journey.complete("1002")
    fresh = journey.complete("1001")
    items_before = _count(app, DisputeItem)
    _age(app, old, days=8)
    _age(app, fresh, days=6)
    dry = runner.invoke(args=["sweep-drafts", "--dry-run"])
    assert f"Would delete draft {old}" in dry.output and fresh not in dry.output
    assert get_dispute(app, old) is not None
    result = runner.invoke(args=["sweep-drafts"])
    assert result.exit_code == 0, result.output
    assert f"Deleted draft {old}" in result.output
    assert get_dispute(app, old) is None
    assert get_dispute(app, fresh) is not None
    assert not (_evidence(app) / old).exists()
    assert _count(app, EvidencePhoto) == 1
    assert _count(app, DisputeItem) == items_before - 1  # the old draft had one item
    assert runner.invoke(args=["check-evidence"]).exit_code == 0


def test_sweep_drafts_never_touches_submitted_disputes(app, journey, runner):
    reference = journey.complete("1002")
    journey.post("submit")
    _age(app, reference, days=30)
    assert "Deleted 0 abandoned draft(s)." in runner.invoke(args=["sweep-drafts"]).output
    assert get_dispute(app, reference) is not None
