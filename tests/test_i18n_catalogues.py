"""The translation catalogues: in step with the code, and complete in every language."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from catalogues import (
    ROOT,
    TEMPLATE,
    TRANSLATED,
    compiled_catalogues,  # noqa: F401  autouse: compiles the .mo files
    po_path,
    read_catalogue,
)

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")

# -- the catalogues ------------------------------------------------------------------------


def extract_fresh(tmp_path: Path):
    """Extract the catalogue from the code as it is now, as README says to."""
    output = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from babel.messages.frontend import main; main()",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(output),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return read_catalogue(output)


def msgids(catalogue) -> set:
    return {message.id for message in catalogue if message.id}


def test_committed_catalogue_template_matches_the_code(tmp_path):
    """Fails when a wrapped string was added or changed without re-extracting."""
    fresh = msgids(extract_fresh(tmp_path))
    committed = msgids(read_catalogue(TEMPLATE))
    assert fresh - committed == set(), "run the extract and update commands in README"
    assert committed - fresh == set(), "messages.pot has strings the code no longer uses"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(tmp_path, code):
    catalogue = read_catalogue(po_path(code))
    template = msgids(read_catalogue(TEMPLATE))
    assert msgids(catalogue) == template, f"run pybabel update for {code}"
    assert not catalogue.fuzzy
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{code}: not translated: {message.id!r}"
        assert not message.fuzzy, f"{code}: fuzzy: {message.id!r}"
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if PLACEHOLDER.search(ids[-1]):
            assert message.python_format, f"{code}: no python-format flag: {message.id!r}"
        for string in strings:
            assert sorted(PLACEHOLDER.findall(string)) == sorted(PLACEHOLDER.findall(ids[-1])), (
                f"{code}: placeholders differ: {message.id!r} → {string!r}"
            )
    assert list(catalogue.check()) == []
