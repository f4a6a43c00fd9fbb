"""axe-core (WCAG 2.0/2.1 A and AA rules) on every page of the buyer's journey, JS on.

Every page is checked as the buyer sees it: each question blank and in its error state,
the photos step with photos, Check your answers, the confirmation and the dispute page.
axe-core comes from the npm registry (`make browser-deps` puts it in tests/browser/.axe/).
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browser.helpers import (
    CHECK_TITLE,
    DESCRIPTION,
    continue_,
    expect_page,
    expect_thumbnail,
    photo_count,
    sign_in,
    small_photo,
)

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


class Axe:
    """Runs axe on the current page and keeps every violation, with where it was found."""

    def __init__(self, page: Page):
        self.page, self.source, self.found = page, AXE.read_text(), []
        self.pages: list[str] = []

    def check(self, name: str) -> None:
        # Evaluated through the DevTools protocol, so the page's CSP (scripts from 'self'
        # only) does not apply; a boosted page keeps it, a reloaded one needs it again.
        if not self.page.evaluate("typeof window.axe === 'object'"):
            self.page.evaluate(self.source)
        result = self.page.evaluate("rules => axe.run(document, rules)", RULES)
        self.pages.append(name)
        for violation in result["violations"]:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
            self.found.append(
                f"{name} ({self.page.url}): {violation['id']} ({violation['impact']}): "
                f"{violation['help']}\n    " + "\n    ".join(targets)
            )


@pytest.fixture
def axe(js_page: Page) -> Axe:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed at {AXE}: run make browser-deps")
    return Axe(js_page)


def test_every_page_of_the_journey_passes_axe(js_page: Page, axe: Axe, browser_orders, tmp_path):
    page = js_page
    page.goto("/")
    expect_page(page, "Sign in")
    axe.check("Sign in")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Error: Sign in – Dispute Portal")
    axe.check("Sign in, error")
    sign_in(page)
    axe.check("Your orders")
    page.get_by_role("link", name="Order 9105", exact=True).click()
    expect_page(page, "Order 9105")
    axe.check("Order page")
    page.get_by_role("link", name="Open dispute").click()
    expect_page(page, "Open a dispute", "Open a dispute about order 9105")
    axe.check("Start page")
    page.get_by_role("button", name="Start now").click()

    def question(title: str, answer) -> None:
        """The question blank, then in its error state, then answered."""
        expect_page(page, title)
        axe.check(title)
        continue_(page)
        expect(page).to_have_title(f"Error: {title} – Dispute Portal")
        expect(page.get_by_role("alert")).to_be_focused()
        axe.check(f"{title} (error)")
        answer()
        continue_(page)

    def items():
        page.get_by_role("checkbox", name="Bath towel (£30.00)").check()
        page.get_by_label("How many of Bath towel? You bought 2.").fill("2")

    question("Which items are you disputing?", items)
    question("What went wrong?", lambda: page.get_by_label("Damaged", exact=True).check())
    question("What happened?", lambda: page.get_by_label("What happened?").fill(DESCRIPTION))

    def remedy():
        page.get_by_label("Give me a partial refund").check()
        page.get_by_label("How much do you want back?").fill("10.00")

    question("What do you want the seller to do?", remedy)
    question(
        "Will you send the item back?", lambda: page.get_by_label("No, I will keep it").check()
    )

    expect_page(page, "Add photos")
    axe.check("Add photos")
    continue_(page)  # Damaged: at least one photo is needed
    expect(page).to_have_title("Error: Add photos – Dispute Portal")
    axe.check("Add photos (error)")
    photos = [small_photo(tmp_path, "towel.jpg", seed=8), tmp_path / "notes.svg"]
    photos[1].write_text('<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    page.get_by_label("Choose photos").set_input_files(photos)
    expect_thumbnail(page, 1, "towel.jpg")
    expect(page.get_by_role("button", name="Dismiss")).to_be_visible()
    expect(photo_count(page, 1)).to_be_visible()
    axe.check("Add photos, one uploaded and one refused")
    page.get_by_label("Caption for towel.jpg (optional)").fill("Torn seam along the edge")
    page.get_by_role("button", name="Save caption for towel.jpg").click()
    expect(page.get_by_role("status").filter(has_text="Caption saved")).to_be_visible()
    axe.check("Add photos, caption saved")
    continue_(page)

    expect_page(page, CHECK_TITLE)
    axe.check("Check your answers")
    page.get_by_role("button", name="Submit dispute").click()
    expect_page(page, "Dispute submitted")
    axe.check("Confirmation")
    page.get_by_role("link", name="View your dispute").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dispute D-")
    axe.check("Dispute page")

    print(f"\naxe-core checked {len(axe.pages)} pages: " + "; ".join(axe.pages))
    assert not axe.found, f"{len(axe.found)} axe violation(s):\n" + "\n".join(axe.found)
