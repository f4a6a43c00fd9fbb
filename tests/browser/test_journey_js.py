"""The buyer's journey with JavaScript on: htmx-boosted pages, portal.js's photo uploader.

Found only by labels, roles and headings, as in test_journey_no_js.py. Boosted navigation
must feel like page loads (URL, title, focus, Back) without being them (no full reload).
"""

import re

import pytest
from corpus import CORPUS
from photo_samples import SVG
from playwright.sync_api import Page, expect

from browser.helpers import (
    CHECK_TITLE,
    DESCRIPTION,
    REFERENCE,
    UPLOAD_TIMEOUT_MS,
    big_photo,
    continue_,
    corpus_file,
    expect_page,
    expect_thumbnail,
    has_corpus,
    photo_count,
    sign_in,
    small_photo,
    start_dispute,
)

pytestmark = pytest.mark.browser

WRONG_TYPE = "The selected file must be a JPEG, PNG, WebP, AVIF or HEIC photo"


def step_url(step: str) -> re.Pattern:
    return re.compile(rf"/disputes/{REFERENCE.pattern}/{step}$")


def same_document(page: Page) -> bool:
    """The marker set after the first load survives: htmx swapped, nothing reloaded."""
    return page.evaluate("window.__marker === 1")


def chosen_photos(tmp_path) -> tuple[list, list[str], str]:
    """(files to choose at once, names that must arrive, name that must be refused)."""
    names = [
        "good/HMD_Nokia_8.3_5G.jpg",
        "good/iphone_hdr_NO.jpg",
        "good/Portrait_6.jpg",
        "good/IMG_5195.HEIC",
        "bad/SVG_XSS1.svg",
    ]
    files = [corpus_file(name) for name in names]
    if all(files):
        return files, [f.name for f in files[:-1]], files[-1].name
    # No corpus: generated photos (a big JPEG, a small JPEG, a PNG) and an SVG to refuse.
    svg = tmp_path / "drawing.svg"
    svg.write_bytes(SVG)
    made = [
        big_photo(tmp_path),
        small_photo(tmp_path, "crushed-box.jpg", seed=1),
        small_photo(tmp_path, "split-sole.png", seed=2, fmt="PNG"),
    ]
    return [*made, svg], [f.name for f in made], svg.name


def test_buyer_opens_a_dispute_with_javascript(js_page: Page, browser_orders, tmp_path):
    page = js_page
    files, accepted, refused = chosen_photos(tmp_path)
    if not has_corpus():
        print(f"shared corpus not found at {CORPUS}: generated photos instead, no HEIC")

    sign_in(page)
    page.evaluate("window.__marker = 1")
    start_dispute(page, "9101")

    # Every Continue: the next question's URL in the address bar, its title, focus on
    # main (as after a page load) and still the same document.
    expect_page(page, "Which items are you disputing?")
    expect(page).to_have_url(step_url("items"))
    page.get_by_label("Table lamp").check()
    continue_(page)
    expect_page(page, "What went wrong?")
    expect(page).to_have_url(step_url("reason"))
    expect(page.locator("main")).to_be_focused()

    # Nothing chosen: the error summary is swapped in, focused, and the title says so.
    continue_(page)
    expect(page).to_have_title("Error: What went wrong? – Dispute Portal")
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"
    expect(summary.get_by_role("link", name="Select what went wrong")).to_be_visible()
    page.get_by_label("Damaged", exact=True).check()
    continue_(page)

    expect_page(page, "What happened?")
    expect(page).to_have_url(step_url("description"))
    assert same_document(page), "a Continue reloaded the whole page"

    # Back: the browser goes to the previous question, with the answer still chosen.
    page.go_back()
    expect_page(page, "What went wrong?")
    expect(page).to_have_url(step_url("reason"))
    expect(page.get_by_label("Damaged", exact=True)).to_be_checked()
    page.evaluate("window.__marker = 1")  # Back may reload (historyCacheSize is 0)
    continue_(page)

    expect_page(page, "What happened?")
    page.get_by_label("What happened?").fill(DESCRIPTION)
    continue_(page)
    expect_page(page, "What do you want the seller to do?")
    expect(page).to_have_url(step_url("remedy"))
    page.get_by_label("Give me a full refund").check()
    continue_(page)
    expect_page(page, "Will you send the item back?")
    expect(page).to_have_url(step_url("return"))
    page.get_by_label("Yes, I will send it back").check()
    continue_(page)

    expect_page(page, "Add photos")
    expect(page).to_have_url(step_url("photos"))
    expect(photo_count(page, 0)).to_be_visible()
    expect(page.get_by_role("button", name="Upload photos")).to_be_hidden()
    assert same_document(page), "a Continue reloaded the whole page"

    # Several photos at once: each arrives on its own; the refused one says why.
    page.get_by_label("Choose photos").set_input_files(files)
    for name in accepted:
        thumb = page.get_by_role("img", name=re.compile(rf"^Photo \d+: {re.escape(name)}$"))
        expect(thumb).to_be_visible(timeout=UPLOAD_TIMEOUT_MS)
    refusal = page.locator("li.upload").filter(has_text=refused)
    expect(refusal).to_contain_text(WRONG_TYPE, timeout=UPLOAD_TIMEOUT_MS)
    expect(refusal.get_by_role("button", name="Dismiss")).to_be_visible()
    expect(photo_count(page, len(accepted))).to_be_visible()
    for number in range(1, len(accepted) + 1):  # numbered in the order they arrived
        image = page.get_by_role("img", name=re.compile(rf"^Photo {number}: "))
        expect(image).to_have_count(1)
        expect_thumbnail(page, number, image.get_attribute("alt").split(": ", 1)[1])
    refusal.get_by_role("button", name="Dismiss").click()
    expect(page.locator("li.upload")).to_have_count(0)

    # Remove one in place: its item goes, the total follows, no page load.
    removed = accepted[1]
    page.get_by_role("button", name=f"Remove {removed}").click()
    expect(page.get_by_role("img", name=re.compile(re.escape(removed)))).to_have_count(0)
    expect(photo_count(page, len(accepted) - 1)).to_be_visible()

    # A caption, saved in place; it becomes the photo's text alternative.
    kept = accepted[0]
    page.get_by_label(f"Caption for {kept} (optional)").fill("Cracked base, seen from above")
    page.get_by_role("button", name=f"Save caption for {kept}").click()
    expect(page.get_by_role("status").filter(has_text="Caption saved")).to_be_visible()
    expect(page.get_by_role("img", name="Cracked base, seen from above")).to_be_visible()
    expect(page).to_have_url(step_url("photos"))
    assert same_document(page), "removing a photo or saving a caption reloaded the page"

    continue_(page)
    expect_page(page, CHECK_TITLE)
    expect(page).to_have_url(step_url("check"))
    answers = page.get_by_role("main")
    for answer in ("1 × Table lamp", "Damaged", DESCRIPTION, "A full refund of £45.00"):
        expect(answers.get_by_text(answer, exact=True).first).to_be_visible()
    expect(answers.get_by_text(f"{len(accepted) - 1} photos", exact=True)).to_be_visible()

    page.get_by_role("button", name="Submit dispute").click()
    expect_page(page, "Dispute submitted")
    reference = page.get_by_text(REFERENCE).inner_text()
    assert REFERENCE.fullmatch(reference), reference
    expect(page).to_have_url(re.compile(rf"/disputes/{reference}/confirmation$"))
    assert same_document(page), "the journey reloaded the page somewhere"

    page.get_by_role("link", name="View your dispute").click()
    expect_page(page, f"Dispute {reference}")
    expect(page.get_by_role("img", name="Cracked base, seen from above")).to_be_visible()
