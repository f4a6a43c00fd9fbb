"""Every corpus file through the real upload view, as a buyer would send it."""

import re
from pathlib import Path

import pytest
from corpus import CORPUS, load_manifest
from sqlalchemy import func, select

from dispute_portal.extensions import db
from dispute_portal.models import EvidencePhoto

MANIFEST = load_manifest()


def _stored(app) -> tuple[int, int]:
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(EvidencePhoto))
    files = [p for p in Path(app.config["EVIDENCE_FOLDER"]).rglob("*") if p.is_file()]
    return rows, len(files)


@pytest.mark.parametrize("entry", MANIFEST, ids=[entry["file"] for entry in MANIFEST])
def test_corpus_file_through_the_upload_view(app, journey, entry):
    journey.start("1001")
    name = Path(entry["file"]).name
    response = journey.upload((name, (CORPUS / entry["file"]).read_bytes()))
    if entry["expect"] == "accept":
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        assert _stored(app) == (1, 2)
    else:
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert re.search(rf"{re.escape(name)}: The selected (file|photo)", page)
        assert _stored(app) == (0, 0)
