"""A buyer walking the dispute form by what people see (labels, roles, tab titles), in a
Playwright page: shared by bench/page_weight.py and bench/slow_link.py."""

import re

from live_server import ACTION_TIMEOUT_MS

BUYER = ("buyer@example.com", "buyer-pass-1")
DESCRIPTION = "The box was crushed and the left shoe has a split along the sole."


def wait_for_page(page, title: str, timeout_ms: int = ACTION_TIMEOUT_MS) -> None:
    """The page is there when its tab title says so (boosted or not)."""
    from playwright.sync_api import expect

    expect(page).to_have_title(re.compile(rf"^{re.escape(title)} – "), timeout=timeout_ms)


def continue_(page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


# The journey, step by step: (step name, what the buyer does on it, title of the next page).
# Each action is a function of the page; the titles are those the browser tests check.
def journey_steps(order: str) -> list[tuple[str, object, str]]:
    def sign_in(page):
        page.get_by_label("Email address").fill(BUYER[0])
        page.get_by_label("Password").fill(BUYER[1])
        page.get_by_role("button", name="Sign in").click()

    def items(page):
        # Whatever the order holds: the first item is enough for a dispute.
        page.get_by_role("checkbox").first.check()
        continue_(page)

    def reason(page):
        page.get_by_label("Damaged", exact=True).check()
        continue_(page)

    def description(page):
        page.get_by_label("What happened?").fill(DESCRIPTION)
        continue_(page)

    def remedy(page):
        page.get_by_label("Give me a full refund").check()
        continue_(page)

    def return_(page):
        page.get_by_label("No, I will keep it").check()
        continue_(page)

    return [
        ("sign-in page", sign_in, "Your orders"),
        (
            "Your orders",
            lambda page: page.get_by_role("link", name=f"Order {order}", exact=True).click(),
            f"Order {order}",
        ),
        (
            "order page",
            lambda page: page.get_by_role("link", name="Open dispute").click(),
            "Open a dispute",
        ),
        ("start page", lambda page: page.get_by_role("button", name="Start now").click(), None),
        ("items", items, "What went wrong?"),
        ("reason", reason, "What happened?"),
        ("description", description, "What do you want the seller to do?"),
        ("remedy", remedy, "Will you send the item back?"),
        ("return", return_, "Add photos"),
    ]


def walk_to_photos(page, order: str, timeout_ms: int = ACTION_TIMEOUT_MS, on_step=None) -> None:
    """Sign in and answer every question up to the photos step, as a buyer would.

    The items question only comes for orders with several items: it is skipped when the
    start page leads straight to "What went wrong?". ``on_step(name)`` is called on each
    page before the buyer acts on it.
    """
    page.goto("/sign-in")
    wait_for_page(page, "Sign in", timeout_ms)
    for name, act, next_title in journey_steps(order):
        if name == "items" and not page.get_by_role("checkbox").count():
            if on_step:
                on_step("items (not asked: one item)")
            continue
        if on_step:
            on_step(name)
        act(page)
        if next_title is None:  # the start page: items, or reason for one-item orders
            wait_for_page_any(page, ("Which items are you disputing?", "What went wrong?"))
        else:
            wait_for_page(page, next_title, timeout_ms)


def wait_for_page_any(page, titles: tuple[str, ...], timeout_ms: int = ACTION_TIMEOUT_MS):
    from playwright.sync_api import expect

    pattern = "|".join(re.escape(t) for t in titles)
    expect(page).to_have_title(re.compile(rf"^({pattern}) – "), timeout=timeout_ms)
