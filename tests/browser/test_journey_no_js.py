"""The buyer's journey in a real browser with JavaScript off, found only by what people see.

Every control is found by its label, its role and accessible name, or a heading: if a test
here cannot find a button, neither can someone using a screen reader or voice control.
"""

import re

import pytest
from photo_samples import make_photo
from playwright.sync_api import Page, expect

from browser.helpers import continue_, expect_page, sign_in, start_dispute

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"D-[0-9A-Z]{5}-[0-9A-Z]{5}")
FIRST_DESCRIPTION = "The box was crushed and the left shoe has a split along the sole."
NEW_DESCRIPTION = "The box was crushed. Both shoes are scuffed and the left sole is split."


def photo_files(tmp_path) -> tuple:
    """A JPEG, and a PNG small enough (800 × 600) to draw the "photo is small" warning."""
    jpeg, png = tmp_path / "crushed-box.jpg", tmp_path / "split-sole.png"
    jpeg.write_bytes(make_photo("JPEG", seed=1))
    png.write_bytes(make_photo("PNG", size=(800, 600), seed=2))
    return jpeg, png


def test_buyer_opens_a_dispute_with_photos_without_javascript(no_js_page: Page, tmp_path):
    page = no_js_page
    jpeg, png = photo_files(tmp_path)
    sign_in(page, "buyer@example.com", "buyer-pass-1")
    start_dispute(page, "1002")

    expect_page(page, "Which items are you disputing?")
    page.get_by_label("Running shoes").check()
    continue_(page)

    # Nothing chosen: the error summary, and the title says there is an error.
    expect_page(page, "What went wrong?")
    continue_(page)
    expect(page).to_have_title("Error: What went wrong? – Dispute Portal")
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()  # autofocus: a screen reader reads it out first
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary.get_by_role("link", name="Select what went wrong")).to_be_visible()
    page.get_by_label("Damaged", exact=True).check()
    continue_(page)

    expect_page(page, "What happened?")
    page.get_by_label("What happened?").fill(FIRST_DESCRIPTION)
    continue_(page)

    expect_page(page, "What do you want the seller to do?")
    page.get_by_label("Give me a partial refund").check()
    page.get_by_label("How much do you want back?").fill("20.00")
    continue_(page)

    expect_page(page, "Will you send the item back?")
    page.get_by_label("Yes, I will send it back").check()
    continue_(page)

    # Two photos at once, then one removed again.
    expect_page(page, "Add photos")
    expect(page.get_by_text("0 of 10 photos")).to_be_visible()
    page.get_by_label("Choose photos").set_input_files([jpeg, png])
    page.get_by_role("button", name="Upload photos").click()
    expect_page(page, "Add photos")
    expect(page.get_by_role("status")).to_have_text("2 photos uploaded")
    expect(page.get_by_text("2 of 10 photos")).to_be_visible()
    for alt in ("Photo 1: crushed-box.jpg", "Photo 2: split-sole.png"):
        thumbnail = page.get_by_role("img", name=alt)
        expect(thumbnail).to_be_visible()
        assert thumbnail.evaluate("img => img.complete && img.naturalWidth > 0"), alt
    page.get_by_role("button", name="Remove split-sole.png").click()
    expect(page.get_by_role("status")).to_have_text("Photo removed")
    expect(page.get_by_text("1 of 10 photos")).to_be_visible()
    expect(page.get_by_role("img", name="Photo 1: crushed-box.jpg")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("split-sole"))).to_have_count(0)
    continue_(page)

    check_title = "Check your answers before you submit your dispute"
    expect_page(page, check_title)
    answers = page.get_by_role("main")
    for answer in (
        "1 × Running shoes",
        "Damaged",
        FIRST_DESCRIPTION,
        "A partial refund of £20.00",
        "Yes, I will send it back",
        "1 photo",
    ):
        expect(answers.get_by_text(answer, exact=True)).to_be_visible()

    # Change one answer: the question shows the saved text, Continue comes back here.
    page.get_by_role("link", name="Change what happened").click()
    expect_page(page, "What happened?")
    description = page.get_by_label("What happened?")
    expect(description).to_have_value(FIRST_DESCRIPTION)
    description.fill(NEW_DESCRIPTION)
    continue_(page)
    expect_page(page, check_title)
    expect(answers.get_by_text(NEW_DESCRIPTION, exact=True)).to_be_visible()
    expect(answers.get_by_text(FIRST_DESCRIPTION)).to_have_count(0)

    page.get_by_role("button", name="Submit dispute").click()
    expect_page(page, "Dispute submitted")
    reference = page.get_by_text(REFERENCE).inner_text()
    assert REFERENCE.fullmatch(reference), reference

    # Back, and Submit again, as a buyer unsure it worked would: Chromium shows its copy
    # of the check page, so this posts a second time. Still one dispute, and the buyer
    # lands on the same confirmation.
    page.go_back()
    expect_page(page, check_title)
    page.get_by_role("button", name="Submit dispute").click()
    expect_page(page, "Dispute submitted")
    expect(page.get_by_text(reference, exact=True)).to_be_visible()

    page.get_by_role("link", name="View your dispute").click()
    expect_page(page, f"Dispute {reference}")
    expect(page.get_by_text("Waiting for the seller", exact=True)).to_be_visible()
    expect(page.get_by_text(NEW_DESCRIPTION, exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Photo 1: crushed-box.jpg")).to_be_visible()

    page.goto("/orders")
    page.get_by_role("link", name="Order 1002", exact=True).click()
    expect_page(page, "Order 1002")
    expect(page.get_by_role("link", name=REFERENCE)).to_have_count(1)
    expect(page.get_by_role("main")).to_contain_text(f"Dispute {reference}: Waiting for the seller")


def submit_parcel_not_arrived(page: Page, order_number: str) -> str:
    """The shortest dispute: nothing arrived, so no return question and no photos needed."""
    start_dispute(page, order_number)
    expect_page(page, "What went wrong?")
    page.get_by_label("No tracking updates, or still in transit").check()
    continue_(page)
    page.get_by_label("What happened?").fill("The tracking page has not changed for a week.")
    continue_(page)
    page.get_by_label("Give me a full refund").check()
    continue_(page)
    expect_page(page, "Add photos")
    continue_(page)
    page.get_by_role("button", name="Submit dispute").click()
    expect_page(page, "Dispute submitted")
    return page.get_by_text(REFERENCE).inner_text()


def test_another_buyer_gets_page_not_found_for_a_dispute(no_js_page: Page, new_no_js_page):
    sign_in(no_js_page, "buyer@example.com", "buyer-pass-1")
    reference = submit_parcel_not_arrived(no_js_page, "1001")

    other = new_no_js_page()
    sign_in(other, "buyer2@example.com", "buyer-pass-2")
    for url in (f"/disputes/{reference}", f"/disputes/{reference}/confirmation"):
        response = other.goto(url)
        assert response is not None and response.status == 404, url
        expect_page(other, "Page not found")
        expect(other.get_by_text(reference)).to_have_count(0)


def test_photos_and_check_pages_fit_the_screen(no_js_page: Page, tmp_path):
    """Full-page screenshots to look at (in tmp_path); no sideways scrolling at 320 px."""
    page = no_js_page
    jpeg, png = photo_files(tmp_path)
    sign_in(page, "buyer@example.com", "buyer-pass-1")
    start_dispute(page, "1003")
    page.get_by_label("Damaged", exact=True).check()
    continue_(page)
    page.get_by_label("What happened?").fill(FIRST_DESCRIPTION)
    continue_(page)
    page.get_by_label("Give me a full refund").check()
    continue_(page)
    page.get_by_label("No, I will keep it").check()
    continue_(page)
    page.get_by_label("Choose photos").set_input_files([jpeg, png])
    page.get_by_role("button", name="Upload photos").click()
    expect(page.get_by_text("2 of 10 photos")).to_be_visible()
    expect(page.get_by_text("This photo is small.")).to_have_count(1)
    check_fits(page, tmp_path, "photos")
    continue_(page)
    expect_page(page, "Check your answers before you submit your dispute")
    check_fits(page, tmp_path, "check")


def check_fits(page: Page, folder, name: str) -> None:
    """Wide and narrow (WCAG 1.4.10 reflow: 320 CSS px), screenshot each, no sideways scroll."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        screenshot = folder / f"{name}-{width}.png"
        page.screenshot(path=screenshot, full_page=True)
        assert screenshot.stat().st_size > 0
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{page.title()}: {scroll_width} px wide at {width} px"
