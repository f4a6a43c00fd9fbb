"""Bytes over the wire from Chromium's own Network domain (CDP), for the front-end
benchmarks: what each response weighed, headers and compressed body, and what was sent."""

import time
from dataclasses import dataclass, field


@dataclass
class Transfer:
    url: str
    method: str = "GET"
    status: int = 0
    mime: str = ""
    headers: dict = field(default_factory=dict)
    header_bytes: int = 0  # response headers as received
    total_bytes: int = 0  # everything received: headers + (compressed) body
    decoded_body: int = 0  # body after decompression
    finished: bool = False
    request_headers: dict = field(default_factory=dict)
    failed: str = ""

    @property
    def wire_headers(self) -> int:
        """Header bytes received (0 for a response the browser had in its cache)."""
        return min(self.header_bytes, self.total_bytes)

    @property
    def raw_bytes(self) -> int:
        """What the same response would weigh uncompressed: headers + decoded body."""
        return self.wire_headers + self.decoded_body if self.total_bytes else 0

    @property
    def encoding(self) -> str:
        return self.headers.get("content-encoding", "")


class NetworkLog:
    """Bytes over the wire for one page, from Chromium's own Network domain (CDP):
    loadingFinished.encodedDataLength (headers + compressed body), dataReceived for the
    decompressed size. Responses served from the browser cache are not counted."""

    def __init__(self, context, page):
        self.transfers: dict[str, Transfer] = {}
        self.order: list[str] = []
        self.cdp = context.new_cdp_session(page)
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.requestWillBeSentExtraInfo", self._sent_extra)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.dataReceived", self._data)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._failed)
        self.cdp.send("Network.enable")

    def _key(self, request_id: str, url: str) -> Transfer:
        if request_id not in self.transfers:
            self.transfers[request_id] = Transfer(url)
            self.order.append(request_id)
        return self.transfers[request_id]

    def _sent(self, event) -> None:
        request_id, redirect = event["requestId"], event.get("redirectResponse")
        if redirect and request_id in self.transfers:
            # The hop that was redirected ends here: keep it (with its request headers)
            # under a key of its own; the same requestId goes on with the next request.
            hop = self.transfers.pop(request_id)
            hop.status, hop.mime = redirect["status"], redirect.get("mimeType", "")
            hop.headers = {k.lower(): v for k, v in redirect.get("headers", {}).items()}
            hop.total_bytes = hop.header_bytes = int(redirect.get("encodedDataLength", 0))
            hop.finished = True
            key = f"{request_id}#{len(self.order)}"
            self.transfers[key] = hop
            self.order[self.order.index(request_id)] = key
        transfer = self._key(request_id, event["request"]["url"])
        transfer.url, transfer.method = event["request"]["url"], event["request"]["method"]
        transfer.request_headers.update(
            {k.lower(): v for k, v in event["request"]["headers"].items()}
        )

    def _sent_extra(self, event) -> None:
        """The headers really sent (Content-Length, Accept-Encoding, Cookie...)."""
        transfer = self._key(event["requestId"], "")
        transfer.request_headers.update({k.lower(): v for k, v in event["headers"].items()})

    def _response(self, event) -> None:
        response = event["response"]
        transfer = self._key(event["requestId"], response["url"])
        transfer.status = response["status"]
        transfer.mime = response.get("mimeType", "")
        transfer.headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        transfer.header_bytes = int(response.get("encodedDataLength", 0))

    def _data(self, event) -> None:
        if event["requestId"] in self.transfers:
            self.transfers[event["requestId"]].decoded_body += event["dataLength"]

    def _finished(self, event) -> None:
        if event["requestId"] in self.transfers:
            transfer = self.transfers[event["requestId"]]
            transfer.total_bytes = int(event["encodedDataLength"])
            transfer.finished = True

    def _failed(self, event) -> None:
        if event["requestId"] in self.transfers:
            transfer = self.transfers[event["requestId"]]
            transfer.failed = event.get("errorText") or "failed"
            transfer.finished = True

    def sent_bytes(self, mark: int = 0, path: str = "") -> int:
        """Request bodies sent (their Content-Length) since mark, to URLs containing path."""
        return sum(
            int(t.request_headers.get("content-length") or 0)
            for t in self.since(mark)
            if path in t.url
        )

    def mark(self) -> int:
        return len(self.order)

    def since(self, mark: int) -> list[Transfer]:
        return [self.transfers[key] for key in self.order[mark:] if key in self.transfers]

    def settle(self, page, quiet_ms: int = 400, timeout_s: float = 30) -> None:
        """Wait until nothing has started or is loading for quiet_ms, so every byte of a
        step (the favicon too, which Chromium asks for after the load) is counted."""
        page.wait_for_load_state("load")
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            seen = len(self.order)
            page.wait_for_timeout(quiet_ms)
            if len(self.order) == seen and all(t.finished for t in self.transfers.values()):
                return
