"""The dispute's record: one ZIP with a summary, the stored photos and SHA256SUMS, under
the size limit, with nothing a party may not see."""

import hashlib
import io
import zipfile

import pytest
from lifecycle_helpers import do, page
from photo_samples import make_photo
from test_conversation import post_message


@pytest.fixture
def decided(app, clients, journey):
    """A dispute with the buyer's photo, a seller's photo message, a note and a decision."""
    reference = journey.complete()
    journey.client.post(f"/disputes/{reference}/submit")
    post_message(clients["seller"], reference, "As packed.", ("packed.jpg", make_photo(seed=5)))
    do(clients["seller"], reference, "reject", reason="Sent in perfect condition.")
    do(clients["buyer"], reference, "escalate")
    do(clients["reviewer"], reference, "note", text="SECRET internal note")
    do(clients["reviewer"], reference, "decide", decision="rejected", reason="No damage shown.")
    return reference


def download(client, reference) -> zipfile.ZipFile:
    response = client.get(f"/disputes/{reference}/record")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.data))


@pytest.mark.parametrize("who", ["buyer", "seller"])
def test_each_party_downloads_a_checked_record(app, clients, decided, who):
    archive = download(clients[who], decided)
    names = archive.namelist()
    assert "summary.html" in names and "SHA256SUMS" in names
    photos = [n for n in names if n.startswith("photos/")]
    assert len(photos) == 2  # the buyer's evidence and the seller's message photo
    for line in archive.read("SHA256SUMS").decode().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    summary = archive.read("summary.html").decode()
    for text in ("As packed.", "Sent in perfect condition.", "No damage shown.", "1002"):
        assert text in summary
    assert "SECRET" not in summary  # internal notes are for reviewers only
    assert "<link" not in summary and "<script" not in summary and "http" not in summary
    assert sum(info.file_size for info in archive.infolist()) < app.config["RECORD_MAX_BYTES"]


def test_reviewer_record_keeps_the_internal_notes(clients, decided):
    assert (
        "SECRET internal note"
        in download(clients["reviewer"], decided).read("summary.html").decode()
    )


def test_outsiders_get_nothing(clients, decided):
    for outsider in ("buyer2", "seller2"):
        assert clients[outsider].get(f"/disputes/{decided}/record").status_code == 404


def test_too_large_a_record_leaves_out_the_largest_photos_and_says_so(app, clients, decided):
    summary_only = len(download(clients["buyer"], decided).read("summary.html"))
    app.config["RECORD_MAX_BYTES"] = 96 * 1024 + 120_000  # room for about one photo
    response = clients["buyer"].get(f"/disputes/{decided}/record")
    assert len(response.data) <= app.config["RECORD_MAX_BYTES"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert len([n for n in archive.namelist() if n.startswith("photos/")]) < 2
    summary = archive.read("summary.html").decode()
    assert 'id="omitted"' in summary and len(summary) > summary_only
    assert 'id="record-omitted"' in page(clients["buyer"], f"/disputes/{decided}")
