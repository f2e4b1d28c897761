"""Names of the languages a translated quote may come from (`lang:` in a claim file),
for readers: "translated from Russian". A tag not listed here is shown as written."""

from __future__ import annotations

_NAMES = {
    "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian", "bn": "Bengali",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian",
    "fr": "French", "he": "Hebrew", "hi": "Hindi", "hy": "Armenian", "it": "Italian",
    "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "ko": "Korean", "ku": "Kurdish",
    "nl": "Dutch", "pl": "Polish", "ps": "Pashto", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sr": "Serbian", "so": "Somali", "sw": "Swahili", "ta": "Tamil",
    "th": "Thai", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
    "zh": "Chinese", "am": "Amharic", "ti": "Tigrinya", "my": "Burmese", "ne": "Nepali",
}  # fmt: skip


def language_name(tag: str) -> str:
    """'Chinese' for zh, zh-Hans or ZH; the tag itself (`xx`) when not known."""
    name = _NAMES.get(tag.split("-", 1)[0].lower())
    return name or f"`{tag}`"


def translated_from(tag: str | None) -> str:
    """'translated from Chinese' (or 'translated' when the language is not given)."""
    return f"translated from {language_name(tag)}" if tag else "translated"


def tag_for(name: str) -> str | None:
    """The tag of a language written by its English name (`French`, `french`: fr),
    for the hint of a `lang:` that is not a tag; None when not known."""
    wanted = " ".join(name.split()).casefold()
    return next((tag for tag, known in _NAMES.items() if known.casefold() == wanted), None)
