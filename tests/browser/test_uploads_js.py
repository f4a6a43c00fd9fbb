"""portal.js's uploader: big photos are shrunk in the browser before they are sent (HEIC goes
as it is), and a failed upload can be retried while the others carry on."""

import re

import pytest
from playwright.sync_api import Page, expect

from browser.helpers import (
    UPLOAD_TIMEOUT_MS,
    big_photo,
    corpus_file,
    expect_thumbnail,
    photo_count,
    reach_photos,
    small_photo,
    thumbnail,
)

pytestmark = pytest.mark.browser

MB = 1024 * 1024
# Chromium tells Playwright nothing about a request body's file parts (post_data_buffer
# and sizes() hold only the text fields), so the page itself records, for each upload
# XHR, the file it sends and the body's total size from the upload's own progress event.
RECORD_UPLOADS = """
(() => {
  const send = XMLHttpRequest.prototype.send;
  window.__uploads = [];
  XMLHttpRequest.prototype.send = function (body) {
    const file = body instanceof FormData ? body.get("photos") : null;
    if (file instanceof Blob) {
      const record = { name: file.name, fileBytes: file.size, bodyBytes: null };
      window.__uploads.push(record);
      this.upload.addEventListener("loadend", (e) => { record.bodyBytes = e.total; });
    }
    return send.apply(this, arguments);
  };
})();
"""


def sent_sizes(page: Page) -> dict[str, int]:
    """{file name as sent: size of the whole request body}, once every upload finished."""
    page.wait_for_function("window.__uploads.every(u => u.bodyBytes !== null)")
    return {u["name"]: u["bodyBytes"] for u in page.evaluate("window.__uploads")}


def test_big_photos_are_shrunk_in_the_browser_and_heic_is_sent_as_it_is(
    js_page: Page, browser_orders, tmp_path
):
    page = js_page
    big = [big_photo(tmp_path, "generated-4000x3000.jpg")]
    big += [
        p for p in map(corpus_file, ("good/HMD_Nokia_8.3_5G.jpg", "good/iphone_hdr_NO.jpg")) if p
    ]
    heic = corpus_file("good/IMG_5195.HEIC")
    if heic is None:
        print("shared corpus not found: the HEIC part and the corpus JPEGs are skipped")
    page.add_init_script(script=RECORD_UPLOADS)
    reach_photos(page, "9102")

    page.get_by_label("Choose photos").set_input_files([*big, *([heic] if heic else [])])
    arrived = len(big) + (1 if heic else 0)
    expect(photo_count(page, arrived)).to_be_visible(timeout=60_000)
    expect(page.locator("li.upload")).to_have_count(0)

    sizes = sent_sizes(page)
    report = []
    for photo in big:
        sent_as = photo.stem + ".jpg"  # a shrunk photo is always a JPEG
        original, sent = photo.stat().st_size, sizes[sent_as]
        report.append(f"{photo.name}: {original} bytes on disk, {sent} bytes sent")
        assert sent < 0.4 * original, report[-1]
        assert sent < MB, report[-1]
    if heic:
        original, sent = heic.stat().st_size, sizes[heic.name]
        report.append(f"{heic.name}: {original} bytes on disk, {sent} bytes sent")
        assert original <= sent < original + 4096, report[-1]  # the file, and a few fields
    print("\n" + "\n".join(report))
    for number in range(1, arrived + 1):
        image = page.get_by_role("img", name=re.compile(rf"^Photo {number}: "))
        expect_thumbnail(page, number, image.get_attribute("alt").split(": ", 1)[1])


def test_a_failed_upload_can_be_retried_while_the_others_carry_on(
    js_page: Page, browser_orders, tmp_path
):
    page = js_page
    first, second = (small_photo(tmp_path, n, seed=s) for n, s in (("a.jpg", 3), ("b.jpg", 4)))
    reach_photos(page, "9103")

    aborted = []

    def lose_the_first_upload(route):
        if route.request.method == "POST" and not aborted:
            aborted.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r"/photos$"), lose_the_first_upload)
    page.get_by_label("Choose photos").set_input_files([first, second])

    # Two at a time: whichever request went first was lost; the other one arrived.
    failed = page.locator("li.upload").filter(has=page.get_by_role("button", name="Retry"))
    expect(page.locator("li.upload")).to_have_count(1, timeout=UPLOAD_TIMEOUT_MS)
    expect(failed).to_contain_text("The upload did not finish. Check your connection")
    expect(failed.get_by_role("button", name="Retry")).to_be_visible()
    lost = failed.locator(".upload-name").inner_text()
    other = ({"a.jpg", "b.jpg"} - {lost}).pop()
    expect_thumbnail(page, 1, other)
    expect(photo_count(page, 1)).to_be_visible()
    assert len(aborted) == 1

    failed.get_by_role("button", name="Retry").click()
    expect_thumbnail(page, 2, lost)
    expect(photo_count(page, 2)).to_be_visible()
    expect(page.locator("li.upload")).to_have_count(0)
    expect(thumbnail(page, 1, other)).to_be_visible()
