"""The journey in Spanish (chosen with the language switcher), and the form by keyboard only.

The Spanish wording is the catalogue's (dispute_portal/translations/es/LC_MESSAGES).
"""

import re

import pytest
from playwright.sync_api import Page, expect

from browser.helpers import (
    CHECK_TITLE,
    DESCRIPTION,
    REFERENCE,
    expect_page,
    expect_thumbnail,
    photo_count,
    sign_in,
    small_photo,
)

pytestmark = pytest.mark.browser


def expect_es(page: Page, title: str, heading: str | None = None) -> None:
    expect(page).to_have_title(f"{title} – Portal de disputas")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading or title)


def continuar(page: Page) -> None:
    page.get_by_role("button", name="Continuar", exact=True).click()


def test_buyer_opens_a_dispute_in_spanish(js_page: Page, browser_orders, tmp_path):
    page = js_page
    page.goto("/")
    expect_page(page, "Sign in")
    page.get_by_role("navigation", name="Language").get_by_role("button", name="Español").click()
    expect_es(page, "Iniciar sesión")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label("Correo electrónico").fill("buyer@example.com")
    page.get_by_label("Contraseña").fill("buyer-pass-1")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect_es(page, "Tus pedidos")

    page.get_by_role("link", name="Pedido 9106", exact=True).click()
    expect_es(page, "Pedido 9106")
    page.get_by_role("link", name="Abrir disputa").click()
    expect_es(page, "Abrir una disputa", "Abrir una disputa sobre el pedido 9106")
    page.get_by_role("button", name="Empezar ahora").click()

    expect_es(page, "¿Qué salió mal?")
    continuar(page)
    expect(page).to_have_title("Error: ¿Qué salió mal? – Portal de disputas")
    expect(page.get_by_role("alert")).to_be_focused()
    expect(page.get_by_role("link", name="Selecciona qué salió mal")).to_be_visible()
    page.get_by_label("Dañado", exact=True).check()
    continuar(page)
    expect_es(page, "¿Qué pasó?")
    page.get_by_label("¿Qué pasó?").fill("La tetera llegó con el asa rota y la tapa astillada.")
    continuar(page)
    expect_es(page, "¿Qué quieres que haga el vendedor?")
    page.get_by_label("Quiero un reembolso total").check()
    continuar(page)
    expect_es(page, "¿Vas a devolver el artículo?")
    page.get_by_label("No, me lo voy a quedar").check()
    continuar(page)

    expect_es(page, "Agregar fotos")
    page.get_by_label("Elige fotos").set_input_files(small_photo(tmp_path, "tetera.jpg", seed=9))
    expect(page.get_by_role("img", name="Foto 1: tetera.jpg")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile(r"^1 de 10 fotos"))).to_be_visible()
    continuar(page)

    expect_es(page, "Revisa tus respuestas antes de enviar tu disputa")
    page.get_by_role("button", name="Enviar disputa").click()
    expect_es(page, "Disputa enviada")
    expect(page.get_by_text("Tu número de referencia es")).to_be_visible()
    assert REFERENCE.fullmatch(page.get_by_text(REFERENCE).inner_text())


def test_the_dispute_form_by_keyboard_only(js_page: Page, browser_orders, tmp_path):
    """From the start page to Check your answers with Tab, Space, Enter and typing only."""
    page = js_page
    sign_in(page)  # getting there is not the point: the form is
    page.get_by_role("link", name="Order 9107", exact=True).click()
    page.get_by_role("link", name="Open dispute").click()
    expect_page(page, "Open a dispute", "Open a dispute about order 9107")
    keyboard = page.keyboard

    def tab_to(locator, most: int = 40) -> None:
        """Press Tab until `locator` has focus, as someone with a keyboard would."""
        for _ in range(most):
            keyboard.press("Tab")
            if locator.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {locator}")

    def submit_with_enter(name: str = "Continue") -> None:
        tab_to(page.get_by_role("button", name=name, exact=True))
        keyboard.press("Enter")

    tab_to(page.get_by_role("button", name="Start now"))
    keyboard.press("Enter")

    expect_page(page, "Which items are you disputing?")
    tab_to(page.get_by_role("checkbox", name=re.compile("^Wall clock")))
    keyboard.press("Space")
    expect(page.get_by_role("checkbox", name=re.compile("^Wall clock"))).to_be_checked()
    submit_with_enter()

    # An error: focus lands on the summary, which names the question to answer.
    expect_page(page, "What went wrong?")
    submit_with_enter()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Select what went wrong")).to_be_visible()
    # Tab enters the radio group on its first radio; arrow keys move to Damaged.
    tab_to(page.locator("input[name=reason]").first)
    damaged = page.get_by_label("Damaged", exact=True)
    for _ in range(20):
        if damaged.evaluate("el => el === document.activeElement"):
            break
        keyboard.press("ArrowDown")
    expect(damaged).to_be_focused()
    keyboard.press("Space")
    expect(damaged).to_be_checked()
    submit_with_enter()

    expect_page(page, "What happened?")
    tab_to(page.get_by_label("What happened?"))
    keyboard.type(DESCRIPTION)
    submit_with_enter()

    expect_page(page, "What do you want the seller to do?")
    full_refund = page.get_by_label("Give me a full refund")
    tab_to(full_refund)
    keyboard.press("Space")
    expect(full_refund).to_be_checked()
    submit_with_enter()

    expect_page(page, "Will you send the item back?")
    keep = page.get_by_label("No, I will keep it")
    tab_to(page.get_by_label("Yes, I will send it back"))
    keyboard.press("ArrowDown")
    expect(keep).to_be_focused()
    expect(keep).to_be_checked()  # arrowing in a radio group also selects
    submit_with_enter()

    expect_page(page, "Add photos")
    chooser = page.get_by_label("Choose photos")
    tab_to(chooser)
    chooser.set_input_files(small_photo(tmp_path, "clock.jpg", seed=11))  # no file dialog
    expect_thumbnail(page, 1, "clock.jpg")
    expect(photo_count(page, 1)).to_be_visible()
    caption = page.get_by_label("Caption for clock.jpg (optional)")
    tab_to(caption)
    keyboard.type("Cracked glass over the 3")
    keyboard.press("Enter")  # Enter in the caption field saves it, in place
    expect(page.get_by_role("status").filter(has_text="Caption saved")).to_be_visible()
    submit_with_enter()

    expect_page(page, CHECK_TITLE)
    expect(page.get_by_role("img", name="Cracked glass over the 3")).to_be_visible()
