"""A slow mobile link (400 ms latency, 400 kbit/s both ways): the upload still completes.

Prints how long it took; no time is asserted, the machine and its load vary too much.
"""

import time

import pytest
from playwright.sync_api import Page, expect

from browser.helpers import big_photo, corpus_file, expect_thumbnail, photo_count, reach_photos

pytestmark = pytest.mark.browser

SLOW = {
    "offline": False,
    "latency": 400,  # ms, added to every request
    "downloadThroughput": 50_000,  # bytes/s: 400 kbit/s
    "uploadThroughput": 50_000,
}


def test_a_big_photo_uploads_over_a_slow_link(js_page: Page, browser_orders, tmp_path):
    page = js_page
    page.set_default_timeout(30_000)  # every page is slow now, not only the upload
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW)
    photo = corpus_file("good/HMD_Nokia_8.3_5G.jpg") or big_photo(tmp_path)

    started = time.monotonic()
    reach_photos(page, "9104")
    reached = time.monotonic()
    page.get_by_label("Choose photos").set_input_files(photo)
    expect(page.get_by_text("Uploading…")).to_be_visible(timeout=30_000)  # shrunk, then sent
    expect(photo_count(page, 1)).to_be_visible(timeout=90_000)
    uploaded = time.monotonic()
    expect_thumbnail(page, 1, photo.name)
    print(
        f"\nslow link: sign in to the photos step {reached - started:.1f} s; "
        f"{photo.name} ({photo.stat().st_size} bytes) shrunk and uploaded in "
        f"{uploaded - reached:.1f} s"
    )
