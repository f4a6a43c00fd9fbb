"""What both soak checks share: a check's tally, a fresh instance, worker memory samples."""

import contextlib
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from live_data import add_buyers
from portal_server import flask, server_env


@dataclass
class Check:
    name: str
    tried: int = 0
    passed: int = 0
    figures: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and self.tried > 0 and self.passed == self.tried


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


@contextlib.contextmanager
def instance(buyers: int):
    """A fresh instance with demo data and `buyers` extra buyers, each with an order."""
    folder = Path(tempfile.mkdtemp(prefix="soak_portal_"))
    try:
        env = server_env(folder, f"sqlite:///{folder / 'portal.sqlite'}", workers=2)
        flask(env, "db", "upgrade")
        flask(env, "seed-demo")
        accounts = add_buyers(env, buyers, folder)
        yield env, accounts
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class MemorySampler:
    """Sum and per-worker RSS of gunicorn's workers, every 0.25 s, until stopped."""

    def __init__(self, server):
        self.server, self.stop = server, threading.Event()
        self.peak_total, self.peak_worker = 0, 0
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop.wait(0.25):
            rss = self.server.rss_kb()
            self.peak_total = max(self.peak_total, sum(rss.values()))
            self.peak_worker = max([self.peak_worker, *rss.values()])

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)


def mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"
