"""Where the translation catalogues live, and a fixture that compiles them on demand.

The compiled catalogues (.mo) are not committed: `make run` and `make test` compile them,
and so does `compiled_catalogues` when they are missing or older than the .po files.
Every i18n test module imports it, so each compiles what it needs whichever runs first.
"""

from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from dispute_portal.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "dispute_portal" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
TRANSLATED = [code for code in LANGUAGES if code != "en"]


def po_path(code: str) -> Path:
    return TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"


def read_catalogue(path: Path):
    with path.open("rb") as file:
        return read_po(file)


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    """Compile any .po whose .mo is missing or stale, as `pybabel compile` would."""
    for code in TRANSLATED:
        po = po_path(code)
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            catalogue = read_catalogue(po)
            with mo.open("wb") as file:
                write_mo(file, catalogue, use_fuzzy=False)
