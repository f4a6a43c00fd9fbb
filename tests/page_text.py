"""What a reader sees on a page, and which of it is English that should have been translated."""

import re
from html.parser import HTMLParser

from dispute_portal.demo import DEMO_ORDERS, DEMO_USERS
from dispute_portal.i18n import LANGUAGE_NAMES

# Common English words that are not also Spanish or Portuguese words.
ENGLISH = set(
    """
    the you your yours and with what which when where who why how this that these those
    there here have had will would should could can cannot must need not yet are was were
    been being be is it its of to from by at in on or if but all any more less than
    our we us they their them it's don't doesn't didn't did does page start now again
    order orders dispute disputes photo photos seller buyer back continue sign submit
    submitted answer answers change changed refund refunds delivered delivery received
    items send sent keep return returned status reference quantity paid draft waiting
    email address password try found help caption optional skip main content upload
    uploaded choose add remove removed save saved view open opened wrong happened want
    problem damaged counterfeit missing quality size colour tracking customs sender
    shipping label listing courier yes please sorry something went request service
    describe enter select description characters between most least
    """.split()
)
# Text that is the same in every language: demo data, what the buyer typed, and the
# switcher's own labels.
DESCRIPTION = "The box was crushed and the item cracked."
TYPED_BY_SELLER_AND_REVIEWER = [
    "Sent in perfect condition.",
    "Courier photos needed.",
    "No damage in the photos.",
]
SAME_IN_EVERY_LANGUAGE = [
    *LANGUAGE_NAMES.values(),
    *(title for *_order, items in DEMO_ORDERS for title, _qty, _price in items),
    *(name for _email, _password, name, _role in DEMO_USERS),
    *(email for email, *_rest in DEMO_USERS),
    DESCRIPTION,
    "crack.jpg",
    *TYPED_BY_SELLER_AND_REVIEWER,
]


class VisibleText(HTMLParser):
    """What a reader meets: text, and the alt and aria-label attributes."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("alt", "aria-label", "placeholder", "title") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's text, less what reads the same in every language."""
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    for same in SAME_IN_EVERY_LANGUAGE:
        text = text.replace(same, " ")
    return re.sub(r"\bD-[0-9A-Z]{5}-[0-9A-Z]{5}\b", " ", text)


def english_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[\w']+", text.lower()) if word in ENGLISH}
