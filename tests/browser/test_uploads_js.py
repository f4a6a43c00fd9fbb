"""portal.js shrinks big photos in the browser before sending them; HEIC goes as it is."""

import re

import pytest
from playwright.sync_api import Page, expect

from browser.helpers import (
    big_photo,
    corpus_file,
    expect_thumbnail,
    photo_count,
    reach_photos,
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
