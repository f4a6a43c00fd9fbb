"""One dispute from submission to a reviewer's decision, in a real browser with JavaScript
off, signed in as each demo account in turn; every control found by its label or name.

The order (9201) is imported here, so no other browser test touches this dispute.
"""

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from photo_samples import make_photo
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

REFERENCE = re.compile(r"D-[0-9A-Z]{5}-[0-9A-Z]{5}")
ORDER = "9201"
PASSWORDS = {
    "buyer@example.com": "buyer-pass-1",
    "seller@example.com": "seller-pass-1",
    "reviewer@example.com": "reviewer-pass-1",
}


@pytest.fixture(scope="module")
def fan_order(live_server, live_server_env, tmp_path_factory) -> str:
    """A delivered order of one table fan, through `flask import-orders`."""
    delivered = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    placed = delivered - timedelta(days=3)
    csv = tmp_path_factory.mktemp("roles_order") / "orders.csv"
    csv.write_text(
        "order_number,buyer_email,seller_email,currency,placed_at,delivered_at,"
        "item_title,quantity,unit_price\n"
        f"{ORDER},buyer@example.com,seller@example.com,GBP,{placed.isoformat()},"
        f"{delivered.isoformat()},Table fan,1,40.00\n"
    )
    flask = Path(sys.executable).parent / "flask"
    subprocess.run(
        [str(flask), "--app", "dispute_portal", "import-orders", str(csv)],
        cwd=Path(__file__).resolve().parents[2],
        env=live_server_env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    return ORDER


def expect_page(page: Page, title: str, heading: str | None = None) -> None:
    expect(page).to_have_title(f"{title} – Dispute Portal")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading or title)


def click(page: Page, name: str, role: str = "button") -> None:
    page.get_by_role(role, name=name, exact=True).click()


def signed_in(new_no_js_page, email: str, home: str) -> Page:
    page = new_no_js_page()
    page.goto("/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORDS[email])
    click(page, "Sign in")
    expect_page(page, home)
    return page


def open_from_notifications(page: Page, reference: str, says: str) -> None:
    """Coming back to the portal later: the header counts the unread notices, and the
    list links to the dispute."""
    page.reload()
    page.get_by_role("link", name=re.compile(r"^Notifications \(\d+ new\)$")).click()
    expect_page(page, "Notifications")
    notice = page.get_by_role("listitem").filter(has_text=says).filter(has_text=reference)
    expect(notice.first).to_be_visible()
    notice.first.get_by_role("link", name=f"Dispute {reference}").click()


def test_one_dispute_through_every_role(new_no_js_page, fan_order, tmp_path):
    photo, packed = tmp_path / "broken-fan.jpg", tmp_path / "packed.jpg"
    photo.write_bytes(make_photo(seed=11))
    packed.write_bytes(make_photo(seed=12))

    # The buyer opens and submits the dispute.
    buyer = signed_in(new_no_js_page, "buyer@example.com", "Your orders")
    click(buyer, f"Order {fan_order}", "link")
    click(buyer, "Open dispute", "link")
    click(buyer, "Start now")
    buyer.get_by_label("Damaged", exact=True).check()
    click(buyer, "Continue")
    buyer.get_by_label("What happened?").fill("The fan blades snapped off in the box.")
    click(buyer, "Continue")
    buyer.get_by_label("Give me a full refund").check()
    click(buyer, "Continue")
    buyer.get_by_label("No, I will keep it").check()
    click(buyer, "Continue")
    buyer.get_by_label("Choose photos").set_input_files(photo)
    click(buyer, "Upload photos")
    click(buyer, "Continue")
    click(buyer, "Submit dispute")
    expect_page(buyer, "Dispute submitted")
    reference = buyer.get_by_text(REFERENCE).inner_text()

    # The seller is told, answers with counter-evidence in the thread, and offers.
    seller = signed_in(new_no_js_page, "seller@example.com", "Disputes")
    open_from_notifications(seller, reference, f"opened a dispute on order {fan_order}")
    expect_page(seller, f"Dispute {reference}")
    seller.get_by_label("Your message").fill("It left us intact: here it is, packed.")
    seller.get_by_label("Photos (optional)").set_input_files(packed)
    click(seller, "Send message")
    expect(seller.get_by_role("status")).to_have_text("Your message has been sent.")
    click(seller, "Make an offer", "link")
    seller.get_by_label("A partial refund").check()
    seller.get_by_label("Amount of the partial refund").fill("10.00")
    click(seller, "Make an offer")
    expect(seller.get_by_text("Talking with the seller", exact=True)).to_be_visible()

    # The buyer sees the message and its photo, and declines the offer: a reviewer decides.
    open_from_notifications(buyer, reference, "new offer for you to answer")
    messages = buyer.locator("#messages")
    expect(messages.get_by_text("It left us intact: here it is, packed.")).to_be_visible()
    expect(messages.get_by_role("img", name="Photo 1: packed.jpg")).to_be_visible()
    click(buyer, "Decline the offer", "link")
    click(buyer, "Decline the offer")
    expect(buyer.get_by_text("With our reviewers", exact=True)).to_be_visible()

    # The reviewer asks the buyer for more information.
    reviewer = signed_in(new_no_js_page, "reviewer@example.com", "Disputes")
    click(reviewer, reference, "link")
    expect_page(reviewer, f"Review of dispute {reference}")
    expect(reviewer.get_by_text("It left us intact: here it is, packed.")).to_be_visible()
    click(reviewer, "Ask for more information", "link")
    reviewer.get_by_label("The buyer").check()
    reviewer.get_by_label("Your question").fill("Was the outer box damaged too?")
    click(reviewer, "Ask for more information")
    expect(reviewer.get_by_text("More information needed", exact=True)).to_be_visible()

    # The buyer answers.
    open_from_notifications(buyer, reference, "A reviewer asked you a question")
    click(buyer, "Answer the reviewer's question", "link")
    buyer.get_by_label("Your answer").fill("Yes, one corner was crushed.")
    click(buyer, "Answer the reviewer's question")
    expect(buyer.get_by_text("With our reviewers", exact=True)).to_be_visible()

    # The reviewer decides; both parties see the outcome and can download the record.
    reviewer.reload()
    expect(reviewer.get_by_text("Yes, one corner was crushed.")).to_be_visible()
    click(reviewer, "Decide the dispute", "link")
    reviewer.get_by_label("A partial refund").check()
    reviewer.get_by_label("Amount of the partial refund").fill("15.00")
    reviewer.get_by_label("Reason for your decision").fill("Courier damage: half back.")
    click(reviewer, "Decide the dispute")
    expect(reviewer.get_by_text("Closed", exact=True)).to_be_visible()

    for party, home in ((buyer, "A reviewer decided the dispute"), (seller, "decided")):
        open_from_notifications(party, reference, home)
        expect(party.get_by_text("A partial refund of £15.00")).to_be_visible()
        expect(party.get_by_text("Courier damage: half back.")).to_be_visible()
        with party.expect_download() as download:
            click(party, "Download the record", "link")
        assert download.value.suggested_filename == f"dispute-{reference}-record.zip"
