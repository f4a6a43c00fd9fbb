"""How a view tells a page request from an htmx request for a fragment of one."""

from flask import request


def wants_fragment() -> bool:
    """True for htmx requests made from within a page, not for boosted page navigation.

    Such a request gets the fragment that the page itself includes (contact.app's pattern).
    """
    return request.headers.get("HX-Request") == "true" and "HX-Boosted" not in request.headers
