"""Who may call which route: every route × the six people of access_world.ROLES.

Each row's `expected` has one letter per person, in this order:

    owner  other_buyer  seller  other_seller  reviewer  signed_out

    A  allowed: 2xx, or 3xx to a page of theirs (followed, it answers 200)
    N  denied: 404, the same answer as for a dispute that does not exist
    R  refused: 409 "That cannot be done now" - the person sees the dispute, but this
       action is not theirs in its state (lifecycle.ALLOWED); it reveals nothing
    S  denied, signed out: a redirect to the sign-in page (login_required). A signed-out
       visitor learns only that a page needs signing in, never whether a dispute exists:
       the redirect is the same for real and made-up references, so it counts as denied.
       Photo URLs are the exception: signed-out visitors get a 404 there (N).

`subject` names the dispute whose ids fill the URL (access_world.SUBJECTS): "draft",
"submitted" (awaiting the seller) or "review" (under review), each with a photo. Rows
with `fragment` send HX-Request: true, as htmx does for a fragment. The order routes use
the draft's order. "static" is listed like any other route: it is public.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    endpoint: str
    method: str
    expected: str
    subject: str | None = None
    action: str | None = None
    kind: str = "image"
    fragment: bool = False

    @property
    def id(self) -> str:
        parts = [self.method, self.endpoint, self.subject, self.action]
        if self.endpoint == "evidence.photo_file":
            parts.append(self.kind)
        return "-".join(p for p in parts if p) + ("-fragment" if self.fragment else "")


FORM_STEPS = (
    "dispute_form.items",
    "dispute_form.reason",
    "dispute_form.description",
    "dispute_form.remedy",
    "dispute_form.return_item",
    "evidence.photos",
    "submit.check_answers",
    "submit.confirmation",
)
# The action pages: each role's own action, someone else's, and names that are no action.
ACTIONS = (
    ("draft", "withdraw", "RNNNNS"),
    ("submitted", "accept", "RNANNS"),
    ("submitted", "withdraw", "ANRNNS"),
    ("review", "decide", "RNRNAS"),
    ("submitted", "respond", "NNNNNS"),  # not an action at all
    ("submitted", "submit", "NNNNNS"),  # an action, but no page: only Submit does it
    ("review", "timeout", "NNNNNS"),  # the timers' own action
)

GET_ROWS = [
    Row("auth.sign_in", "GET", "AAAAAA"),
    Row("health.healthz", "GET", "AAAAAA"),
    Row("static", "GET", "AAAAAA"),
    Row("orders.home", "GET", "AAAAAS"),
    Row("orders.your_orders", "GET", "AANNNS"),
    Row("orders.order_page", "GET", "ANNNNS", "draft"),
    Row("orders.open_dispute", "GET", "ANNNNS", "draft"),
    Row("notifications.notification_list", "GET", "AAAAAS"),
    Row("disputes.dispute_list", "GET", "NNAAAS"),
    Row("disputes.dispute_page", "GET", "ANNNNS", "draft"),
    Row("disputes.dispute_page", "GET", "ANANNS", "submitted"),
    Row("disputes.dispute_page", "GET", "ANANAS", "review"),
    *(
        Row(step, "GET", "ANNNNS", subject)
        for step in FORM_STEPS
        for subject in ("draft", "submitted")
    ),
    *(
        Row("evidence.photo_file", "GET", expected, subject, kind=kind)
        for subject, expected in (
            ("draft", "ANNNNN"),
            ("submitted", "ANANNN"),
            ("review", "ANANAN"),
        )
        for kind in ("image", "thumbnail")
    ),
    Row("messages.record", "GET", "NNNNNS", "draft"),
    Row("messages.record", "GET", "ANANNS", "submitted"),
    Row("messages.record", "GET", "ANANAS", "review"),
    Row("reviewer.case", "GET", "NNNNNS", "submitted"),
    Row("reviewer.case", "GET", "NNNNAS", "review"),
    *(Row("dispute_actions.action_page", "GET", e, s, a) for s, a, e in ACTIONS),
]

POST_ROWS = [
    Row("auth.sign_in", "POST", "AAAAAA"),
    Row("auth.sign_out", "POST", "AAAAAS"),
    Row("language.choose", "POST", "AAAAAA"),
    Row("orders.open_dispute", "POST", "ANNNNS", "draft"),
    *(
        Row(step, "POST", "ANNNNS", subject)
        for step in FORM_STEPS[:6]
        for subject in ("draft", "submitted")
    ),
    Row("evidence.photos", "POST", "ANNNNS", "draft", fragment=True),
    *(
        Row(endpoint, "POST", "ANNNNS", subject, fragment=fragment)
        for endpoint in ("evidence.caption", "evidence.remove")
        for subject, fragment in (("draft", False), ("draft", True), ("submitted", False))
    ),
    Row("submit.submit", "POST", "ANNNNS", "draft"),
    Row("submit.submit", "POST", "ANNNNS", "submitted"),
    Row("messages.post", "POST", "NNNNNS", "draft"),
    Row("messages.post", "POST", "ANANNS", "submitted"),
    Row("messages.post", "POST", "ANANNS", "submitted", fragment=True),
    Row("messages.post", "POST", "ANANAS", "review"),
    *(Row("dispute_actions.action_page", "POST", e, s, a) for s, a, e in ACTIONS),
]

ROWS = GET_ROWS + POST_ROWS
