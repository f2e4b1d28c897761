"""Words the comparison and every output share: who made a claim and when, and a
claim's text put after "said that" or "affirms / denies:".

Kept below both `compare` (whose reasons name their claims) and the renderers, so
that a reason reads the same in the table, the brief and the JSON.
"""

from __future__ import annotations

from factcmp.load.when import said_short
from factcmp.model import Claim


def who_when(claim: Claim, side_name: str | None) -> str:
    """`V. K. Singh, 21 Jun 2020`: the speaker (else the side, when given) and the
    date, so that a reason says whose figure it sets against whose."""
    who = claim.speaker.name if claim.speaker is not None else side_name
    return f"{' '.join(who.split())}, {said_short(claim)}" if who else said_short(claim)


# Words that open a sentence without being names: only these lose their capital after
# "said that". Any other capital (Moscow, Turkish, NATO, Galwan) may be a name, and a
# name wrongly lower-cased is worse in a brief than a common word left capitalised.
# Function words always lose it ("the Chinese side", "on Tuesday", "two Azerbaijani
# civilians"); common nouns and adjectives only when the next word is not capitalised
# too, which makes them part of a name ("Border Security Force", "First Minister").
_FUNCTION_WORDS = frozenset(
    """
    a an the this that these those it its they their them there here he his him she
    her hers we our us you your some any all no none nothing nobody everything
    everyone everybody something someone anything each every both either neither
    many much most several few fewer more less other another such what which who
    whom whose whoever whatever when where why how whether one two three four five
    six seven eight nine ten eleven twelve twenty thirty forty fifty hundred dozens
    hundreds thousands tens only just even also still yet already almost nearly
    about around approximately roughly at on in into onto of off for from to
    with within without by near over under above below after before during since
    until till between among amid across along against toward towards through
    throughout despite following according regarding concerning beyond behind
    if unless although though because as while whereas once so and but or nor not
    then thus therefore however instead meanwhile otherwise never always often
    recently earlier later today yesterday tonight overnight last next
    """.split()  # noqa: SIM905 (a word list reads better as words)
)
_COMMON_WORDS = frozenset(
    """
    first second third reports report troops soldiers forces civilians military
    people officials residents talks attacks attack shelling fighting clashes clash
    negotiations border media casualties losses deaths injuries claims allegations
    accusations statements efforts attempts based given asked faced making taking
    giving calling saying claiming accusing blaming denying citing using launching
    attacking firing killing crossing building holding keeping asking urging warning
    seeking trying refusing allowing preventing violating ignoring continuing
    starting ending returning moving sending deploying withdrawing pulling reaching
    meeting talking negotiating resolving escalating provoking responding reacting
    including
    """.split()  # noqa: SIM905
)


def lower_first(text: str) -> str:
    """`text` on one line, its first word lower-cased when it is a common sentence
    opener ("The", "On", "If", "Since", "Two", "A"), else as written: names and
    acronyms keep their capitals."""
    text = " ".join(text.split())
    first, _, rest = text.partition(" ")
    word = first.rstrip(",;:")
    if not word.isalpha() or not (word[1:].islower() or word == "A"):
        return text
    folded = word.casefold()
    next_word = rest.lstrip("\"'“‘(")[:1]
    if folded in _FUNCTION_WORDS or (folded in _COMMON_WORDS and not next_word.isupper()):
        return text[0].lower() + text[1:]
    return text


def listed(words: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


_CLOSERS = "\"'”’»)]"
_ENDS = ".!?…"


def ends_sentence(text: str) -> bool:
    """Whether `text` already ends a sentence, inside closing quotes or brackets too:
    `captured.”` and `(see above.)` need no full stop after them."""
    last = text.rstrip().rstrip(_CLOSERS)[-1:]
    return bool(last) and last in _ENDS


def sentence(text: str) -> str:
    """`text` with a full stop at its end, unless it already ends a sentence (a comma,
    semicolon or colon where it was cut gives way to the full stop)."""
    text = text.rstrip()
    if not text or ends_sentence(text):
        return text
    return text.rstrip(",;: ") + "."


def fragment(quote: str) -> str:
    """A quote to wrap in quotation marks mid-sentence: its trailing comma, semicolon
    or colon (where the curator cut it) left off, so that no `,”.` follows."""
    return " ".join(quote.split()).rstrip(",;:").rstrip()
