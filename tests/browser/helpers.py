"""Shared steps for the JavaScript-on browser tests: found by labels, roles and headings."""

import io
import json
import random
import re
from pathlib import Path

import pytest
from corpus import CORPUS
from photo_samples import make_photo
from PIL import Image
from playwright.sync_api import Page, expect

REFERENCE = re.compile(r"D-[0-9A-Z]{5}-[0-9A-Z]{5}")
DESCRIPTION = "The lamp arrived with a cracked base and the shade is dented on one side."
CHECK_TITLE = "Check your answers before you submit your dispute"
# The upload XHR of one photo can take a while on this 2-core machine (decode, shrink,
# the server's own decode and re-encode): longer than a click, much less than a test.
UPLOAD_TIMEOUT_MS = 30_000


def expect_page(page: Page, title: str, heading: str | None = None) -> None:
    """The tab title names the page, and the one h1 says the same (or `heading`)."""
    expect(page).to_have_title(f"{title} – Dispute Portal")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading or title)


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def sign_in(page: Page, email: str = "buyer@example.com", password: str = "buyer-pass-1"):
    page.goto("/")
    expect_page(page, "Sign in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect_page(page, "Your orders")


def start_dispute(page: Page, order_number: str) -> None:
    page.get_by_role("link", name=f"Order {order_number}", exact=True).click()
    expect_page(page, f"Order {order_number}")
    page.get_by_role("link", name="Open dispute").click()
    expect_page(page, "Open a dispute", f"Open a dispute about order {order_number}")
    page.get_by_role("button", name="Start now").click()


def reach_photos(page: Page, order_number: str) -> None:
    """Sign in and answer every question of a one-item order up to the photos step."""
    sign_in(page)
    start_dispute(page, order_number)
    expect_page(page, "What went wrong?")
    page.get_by_label("Damaged", exact=True).check()
    continue_(page)
    expect_page(page, "What happened?")
    page.get_by_label("What happened?").fill(DESCRIPTION)
    continue_(page)
    expect_page(page, "What do you want the seller to do?")
    page.get_by_label("Give me a full refund").check()
    continue_(page)
    expect_page(page, "Will you send the item back?")
    page.get_by_label("No, I will keep it").check()
    continue_(page)
    expect_page(page, "Add photos")
    # portal.js has taken over the form: no Upload button, photos go as soon as chosen.
    expect(page.get_by_role("button", name="Upload photos")).to_be_hidden()


def photo_count(page: Page, count: int):
    """The running total ("3 of 10 photos, 1.2 MB")."""
    return page.get_by_text(re.compile(rf"^{count} of 10 photos"))


def thumbnail(page: Page, number: int, name: str):
    return page.get_by_role("img", name=f"Photo {number}: {name}", exact=True)


def expect_thumbnail(page: Page, number: int, name: str) -> None:
    image = thumbnail(page, number, name)
    expect(image).to_be_visible(timeout=UPLOAD_TIMEOUT_MS)
    image.scroll_into_view_if_needed()  # loading="lazy": only loaded once near the viewport
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )


def corpus_file(name: str) -> Path | None:
    """A file of the shared corpus (e.g. "good/IMG_5195.HEIC"), or None without the corpus."""
    path = CORPUS / name
    return path if path.is_file() else None


def has_corpus() -> bool:
    return (CORPUS / "manifest.json").is_file()


def corpus_manifest() -> dict[str, dict]:
    return {e["file"]: e for e in json.loads((CORPUS / "manifest.json").read_text())}


def big_photo(folder: Path, name: str = "big-noisy.jpg", seed: int = 7) -> Path:
    """A generated 4000 × 3000 JPEG of about 2.7 MB (smooth colour noise, quality 95), the
    way a phone's photo is: the browser must shrink it to 2048 px before sending it."""
    rng = random.Random(seed)
    width, height, block = 4000, 3000, 24
    small = Image.frombytes(
        "RGB", (width // block, height // block), rng.randbytes(width * height * 3 // block**2)
    )
    buffer = io.BytesIO()
    small.resize((width, height), Image.Resampling.BICUBIC).save(buffer, "JPEG", quality=95)
    path = folder / name
    path.write_bytes(buffer.getvalue())
    return path


def small_photo(folder: Path, name: str, seed: int = 1, fmt: str = "JPEG") -> Path:
    """A generated 1200 × 900 photo (small enough to be sent as it is)."""
    path = folder / name
    path.write_bytes(make_photo(fmt, seed=seed))
    return path


def skip_without_corpus(what: str) -> None:
    if not has_corpus():
        pytest.skip(f"shared corpus not found at {CORPUS}: {what}")
