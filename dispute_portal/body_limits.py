"""Request body limits beyond the ones Werkzeug applies by itself."""

from flask import Flask, Request


class PortalRequest(Request):
    """A urlencoded form is read whole into memory (Werkzeug applies no field limit to
    it), so it may be no bigger than MAX_FORM_MEMORY_SIZE: larger ones get the 413 page."""

    @property
    def max_content_length(self) -> int | None:
        limit = Request.max_content_length.fget(self)
        if self.mimetype != "application/x-www-form-urlencoded":
            return limit
        form_limit = self.max_form_memory_size
        return form_limit if limit is None or form_limit is None else min(limit, form_limit)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


def init_app(app: Flask) -> None:
    app.request_class = PortalRequest
