"""The upload half of bench/server.py: photo-like JPEGs, drafts to put them in, and
clients that POST them as the no-JavaScript form does; plus the in-process cost of one."""

import http.client
import io
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import _load
from _load import BUYER2, HOST
from PIL import Image, ImageChops

BOUNDARY = "bench-boundary-7MvQ2x"


def photo_jpeg(width: int = 4000, height: int = 3000) -> bytes:
    """A 12 MP photo-like JPEG of about 3.7 MB: smooth colour structure plus fine sensor
    grain. effect_noise draws fresh noise on every call, so no two are alike."""
    coarse = Image.effect_noise((width // 16, height // 16), 60).convert("RGB")
    gradient = Image.linear_gradient("L").resize(coarse.size)
    base = Image.merge("RGB", [coarse.getchannel(0), gradient, coarse.getchannel(2)])
    base = base.resize((width, height), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((width, height), 5).convert("RGB")
    image = ImageChops.add(base, grain, scale=1.0, offset=-128)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def multipart(token: str, filename: str, data: bytes) -> bytes:
    """The no-JavaScript upload form: csrf_token, action=upload and one file."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n',
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="action"\r\n\r\nupload\r\n',
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photos"; '
        f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n',
    ]
    return "".join(parts).encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def add_upload_drafts(db_path: Path, email: str, count: int) -> list[str]:
    """Delivered orders and a draft dispute on each (every question answered but photos),
    bulk-inserted for this buyer: the upload load spreads over them, ten photos each.
    Returns the drafts' references."""
    from sqlalchemy import create_engine, func, insert, select

    from dispute_portal.models import (
        Dispute,
        DisputeItem,
        DisputeState,
        Order,
        OrderItem,
        Remedy,
        User,
    )
    from dispute_portal.models.disputes import new_reference

    engine = create_engine(f"sqlite:///{db_path}")
    now = datetime.now(UTC)
    with engine.begin() as db:
        buyer = db.scalar(select(User.id).where(User.email == email))
        seller = db.scalar(select(User.id).where(User.email == "seller@example.com"))
        # Demo orders, items and disputes came first: new ids (one each) start past them.
        first = 1 + max(
            db.scalar(select(func.max(table.id))) or 0 for table in (Order, OrderItem, Dispute)
        )
        ids = range(first, first + count)
        db.execute(
            insert(Order),
            [
                dict(
                    id=i,
                    order_number=f"U{i}",
                    buyer_id=buyer,
                    seller_id=seller,
                    currency="GBP",
                    placed_at=now - timedelta(days=5),
                    delivered_at=now - timedelta(days=2),
                )
                for i in ids
            ],
        )
        db.execute(
            insert(OrderItem),
            [
                dict(id=i, order_id=i, title="Camera", quantity=1, unit_price_minor=25000)
                for i in ids
            ],
        )
        references = [new_reference() for _ in ids]
        db.execute(
            insert(Dispute),
            [
                dict(
                    id=i,
                    reference=ref,
                    order_id=i,
                    buyer_id=buyer,
                    state=DisputeState.DRAFT,
                    reason="damaged",
                    description="The lens arrived with a deep scratch across the front.",
                    remedy=Remedy.FULL_REFUND,
                    will_return_item=False,
                    created_at=now,
                    updated_at=now,
                )
                for i, ref in zip(ids, references, strict=True)
            ],
        )
        db.execute(
            insert(DisputeItem), [dict(dispute_id=i, order_item_id=i, quantity=1) for i in ids]
        )
    engine.dispose()
    return references


def upload_load(base_url: str, references, photos, clients: int, seconds: float):
    """`clients` threads POST photos (one per request) as the second demo buyer until
    `seconds` have passed; each (draft, photo) slot is used once, so no photo is a
    duplicate in its draft. Returns (303s, other answers, elapsed seconds)."""
    client = _load.signed_in(base_url, BUYER2)
    token = client.csrf_token(f"/disputes/{references[0]}/photos")
    cookie = client.cookie_header  # one session for all clients, with its CSRF token
    bodies = [multipart(token, f"photo-{n}.jpg", p) for n, p in enumerate(photos)]
    slots = [(ref, n) for ref in references for n in range(len(bodies))]
    port = int(base_url.rsplit(":", 1)[1])
    lock, state = threading.Lock(), {"next": 0, "ok": 0, "other": {}}
    start = time.monotonic()
    deadline = start + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if state["next"] >= len(slots):
                    break
                ref, n = slots[state["next"]]
                state["next"] += 1
            headers = {
                "User-Agent": _load.USER_AGENT,
                "Cookie": cookie,
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            }
            try:
                connection.request("POST", f"/disputes/{ref}/photos", bodies[n], headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=60)
            with lock:
                if status == 303:
                    state["ok"] += 1
                else:
                    state["other"][status] = state["other"].get(status, 0) + 1
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 90)
    return state["ok"], state["other"], time.monotonic() - start


def in_process_ms(data: bytes, runs: int = 3) -> float:
    """The upload's CPU work alone: process_photo on the same bytes, in this process."""
    from dispute_portal.photos import process_photo

    process_photo(data)  # warm up
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        process_photo(data)
        times.append((time.perf_counter() - began) * 1000)
    return _load.median(times)
