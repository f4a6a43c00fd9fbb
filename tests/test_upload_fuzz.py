"""Mutated photos never crash the upload view, and whatever is stored is clean."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from photo_samples import make_photo
from PIL import Image

SEEDS = {
    "jpeg": make_photo("JPEG", size=(160, 120)),
    "png": make_photo("PNG", size=(160, 120)),
    "webp": make_photo("WEBP", size=(160, 120)),
}


@st.composite
def mutated_photos(draw) -> bytes:
    data = bytearray(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data) - 1))
        match draw(st.sampled_from(["flip", "cut", "insert"])):
            case "flip":
                data[position] = draw(st.integers(0, 255))
            case "cut":
                del data[position : position + draw(st.integers(1, 64))]
            case "insert":
                data[position:position] = draw(st.binary(min_size=1, max_size=64))
        if not data:
            break
    return bytes(data)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=mutated_photos())
def test_mutated_photos_never_cause_a_server_error(app, journey, data):
    app.config["MAX_PHOTOS"] = 10_000
    if journey.reference is None:
        journey.start("1001")
    response = journey.upload(("mutated.jpg", data))
    assert response.status_code in (303, 422), response.status_code
    for path in Path(app.config["EVIDENCE_FOLDER"]).rglob("*.jpg"):
        with Image.open(path) as stored:
            stored.load()
            assert stored.format == "JPEG"
            assert not stored.getexif()
            assert "icc_profile" not in stored.info and "comment" not in stored.info
