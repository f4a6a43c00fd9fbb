"""The marketplace's dispute reasons, and what to photograph for each."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    item_arrived: bool
    # What to photograph, shown beside the upload.
    photo_tips: tuple[str, ...]

    @property
    def photos_required(self) -> bool:
        return self.item_arrived


@dataclass(frozen=True)
class ReasonGroup:
    code: str
    label: str
    reasons: tuple[Reason, ...]


_TRACKING_TIPS = (_l("Screenshots of the tracking page"), _l("Any message from the courier"))

REASON_GROUPS = (
    ReasonGroup(
        "not_received",
        _l("I did not receive it"),
        (
            Reason(
                "no_tracking", _l("No tracking updates, or still in transit"), False, _TRACKING_TIPS
            ),
            Reason(
                "customs", _l("Held by customs"), False, (_l("The customs notice"), *_TRACKING_TIPS)
            ),
            Reason("returned_to_sender", _l("Returned to sender"), False, _TRACKING_TIPS),
            Reason(
                "wrong_address",
                _l("Sent to the wrong address"),
                False,
                (_l("The address shown on the tracking page"), *_TRACKING_TIPS),
            ),
        ),
    ),
    ReasonGroup(
        "not_as_described",
        _l("It arrived, but it is not as described"),
        (
            Reason(
                "wrong_item",
                _l("Wrong item"),
                True,
                (_l("The item you received next to the listing"), _l("The shipping label")),
            ),
            Reason(
                "damaged",
                _l("Damaged"),
                True,
                (_l("The damage, close up"), _l("The outer packaging"), _l("The shipping label")),
            ),
            Reason(
                "doesnt_work",
                _l("Doesn't work"),
                True,
                (
                    _l("The fault, as clearly as a photo can show it"),
                    _l("Any error message or light"),
                ),
            ),
            Reason(
                "missing_parts",
                _l("Missing parts or short quantity"),
                True,
                (_l("Everything that arrived, laid out"), _l("The packing list")),
            ),
            Reason(
                "counterfeit",
                _l("Counterfeit"),
                True,
                (_l("Logos and labels, close up"), _l("Serial numbers")),
            ),
            Reason(
                "size_colour_differs",
                _l("Size or colour differs from the listing"),
                True,
                (
                    _l("The item laid flat beside a ruler or tape measure"),
                    _l("The size or colour label"),
                ),
            ),
            Reason(
                "quality",
                _l("Quality problem"),
                True,
                (_l("The problem, close up"), _l("The whole item")),
            ),
        ),
    ),
)

REASONS = {reason.code: reason for group in REASON_GROUPS for reason in group.reasons}


def get_reason(code: str | None) -> Reason | None:
    return REASONS.get(code or "")
