"""Where the shared photo corpus is. It lives beside the repository and is never copied in."""

import json
import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("DISPUTE_PORTAL_CORPUS") or REPO_ROOT.parent / "shared" / "corpus")


def load_manifest() -> list[dict]:
    """The manifest's entries, or a module-level skip with the reason when it is absent."""
    if not (CORPUS / "manifest.json").is_file():
        pytest.skip(
            f"shared corpus not found at {CORPUS}; the core suite covers formats with "
            "generated images",
            allow_module_level=True,
        )
    return json.loads((CORPUS / "manifest.json").read_text())
