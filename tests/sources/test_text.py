"""A page's bytes to text, and quote matching: what copy editing and web pages
change without changing the words must not hide a quote; what they do change must."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcmp.load.quotes import contains_quote, normalise
from factcmp.sources.text import (
    declared_charset,
    decode,
    html_text,
    is_bot_wall,
    is_textual,
    page_from_body,
)


def found(page_html: str, quote: str) -> bool:
    page = page_from_body(page_html.encode("utf-8"), "text/html; charset=utf-8")
    assert page is not None
    return contains_quote(page.text, quote)


# --- normalising -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "quote"),
    [
        ("<p>“an absolute lie”</p>", '"an absolute lie"'),  # curly vs straight quotes
        ("<p>the country’s troops</p>", "the country's troops"),  # apostrophes
        ("<p>the country's troops</p>", "the country’s troops"),
        ("<p>«ложь»</p>", '"ложь"'),  # guillemets are quotation marks too
        ("<p>fighting — and shelling</p>", "fighting - and shelling"),  # dashes, spaces
        ("<p>fighting—and shelling</p>", "fighting – and shelling"),
        ("<p>a cease&#8209;fire</p>", "a cease-fire"),  # non-breaking hyphen
        ("<p>105 of his\n   country’s\ttroops</p>", "105 of his country's troops"),
        ("<p>105&nbsp;troops</p>", "105 troops"),  # no-break space (NFKC)
        ("<p>con&shy;firmed</p>", "confirmed"),  # soft hyphen
        ("<p>con\u200bfirmed</p>", "confirmed"),  # zero-width space
        ("<p>the ﬁghting</p>", "the fighting"),  # ligature (NFKC)
        ("<p>ＡＢＣ news</p>", "ABC news"),  # full-width forms (NFKC)
        ("<p>AN ABSOLUTE LIE</p>", "an absolute lie"),  # case
        ("<p>Tom &amp; Jerry</p>", "Tom & Jerry"),  # entities on the page
        ("<p>Tom &amp; Jerry</p>", "Tom &amp; Jerry"),  # and in the quote
        ("<p>abso<em>lute</em> lie</p>", "absolute lie"),  # inline tags join
        ("<p>it is an absolute lie, he said</p>", "an absolute lie."),  # edge punctuation
        ("<p>105 of his country’s troops have been killed</p>", "105 of his … been killed"),
        ("<p>105 of his country’s troops have been killed</p>", "105 [...] troops ... killed"),
    ],
)
def test_quote_found_despite_cosmetic_differences(page: str, quote: str) -> None:
    assert found(page, quote)


@pytest.mark.parametrize(
    ("page", "quote"),
    [
        ("<p>105 troops were killed</p>", "150 troops were killed"),  # a different number
        ("<p>an absolute lie</p>", "an obvious lie"),
        ("<p>end.</p><p>Start</p>", "end.Start"),  # blocks separate words
        ("<p>killed ... 105</p>", "105 ... killed"),  # elided parts must be in order
        ("<p>x</p><script>var s = 'an absolute lie';</script>", "an absolute lie"),
        ("<p>x</p><style>/* an absolute lie */</style>", "an absolute lie"),
        ("<template><p>an absolute lie</p></template>", "an absolute lie"),
        ("<noscript>an absolute lie</noscript>", "an absolute lie"),
        ("<!-- an absolute lie --><p>x</p>", "an absolute lie"),
        ('<p title="an absolute lie">x</p>', "an absolute lie"),  # attributes are not text
        ("<p>anything</p>", "..."),  # a quote of nothing stands nowhere
    ],
)
def test_quote_not_found_where_the_words_differ(page: str, quote: str) -> None:
    assert not found(page, quote)


def test_blocks_separate_words_and_inline_elements_do_not() -> None:
    text, title = html_text(
        "<html><head><title> The  story </title></head><body><h1>Head</h1><p>One "
        "<b>bo</b>ld.</p><p>Two<br>lines</p><ul><li>a</li><li>b</li></ul></body></html>"
    )
    assert normalise(text) == "the story head one bold. two lines a b"
    assert title == "The story"


def test_broken_html_keeps_its_text() -> None:
    text, _ = html_text("<p>unclosed <div><span>an absolute <b>lie</p></div><![if x]><p>more")
    assert "an absolute lie" in normalise(text)
    assert "more" in normalise(text)


# --- decoding ----------------------------------------------------------------------

RU = "Азербайджан потерял 50 военнослужащих"


def test_charset_from_the_header() -> None:
    body = f"<p>{RU}</p>".encode("cp1251")
    assert decode(body, "text/html; charset=windows-1251") == (f"<p>{RU}</p>", "cp1251")


def test_charset_from_meta_and_http_equiv() -> None:
    for head in (
        '<meta charset="windows-1251">',
        "<meta charset=windows-1251>",
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
    ):
        body = f"<html><head>{head}</head><body>{RU}</body></html>".encode("cp1251")
        assert declared_charset(body) == head.split("charset=")[1].strip("\"'>")
        text, codec = decode(body, "text/html")
        assert (RU in text, codec) == (True, "cp1251")


def test_header_wins_over_meta_and_bom_over_both() -> None:
    body = f'<meta charset="koi8-r"><p>{RU}</p>'.encode("cp1251")
    assert RU in decode(body, "text/html; charset=windows-1251")[0]
    bom = codecs.BOM_UTF8 + f"<p>{RU}</p>".encode()
    assert decode(bom, "text/html; charset=windows-1251")[1] == "utf-8-sig"


def test_latin1_label_reads_as_windows_1252() -> None:
    assert decode(b"\x93quoted\x94", "text/plain; charset=iso-8859-1")[0] == "“quoted”"


def test_unknown_or_missing_charset_is_utf8_with_replacement() -> None:
    assert decode(b"caf\xc3\xa9 \xff", "text/html; charset=no-such-thing") == (
        "café \ufffd",
        "utf-8",
    )
    assert decode("<p>café</p>".encode(), None) == ("<p>café</p>", "utf-8")


@pytest.mark.parametrize("label", ["base64", "rot13", "hex", "idna", "punycode", "utf-7", "zlib"])
def test_a_codec_no_page_is_in_is_read_as_utf8(label: str) -> None:
    body = "<p>café +AGEAYgBj-</p>".encode()
    assert decode(body, f"text/html; charset={label}") == (body.decode(), "utf-8")
    assert decode(f'<meta charset="{label}">'.encode() + body, "text/html")[1] == "utf-8"


def test_meta_saying_utf16_on_an_ascii_page_is_utf8() -> None:
    assert decode(b'<meta charset="utf-16"><p>caf\xc3\xa9</p>', "text/html")[1] == "utf-8"


@pytest.mark.parametrize(
    ("content_type", "body", "kind"),
    [
        ("text/html; charset=utf-8", b"", "html"),
        ("application/xhtml+xml", b"", "html"),
        ("text/plain", b"", "text"),
        ("text/csv", b"", "text"),
        ("application/pdf", b"%PDF-1.4 an absolute lie", None),
        ("image/png", b"\x89PNG", None),
        ("application/json", b"{}", None),
        (None, b"  <!DOCTYPE html><p>x</p>", "html"),
        (None, b"plain words", "text"),
        (None, b"%PDF-1.4", None),
        (None, b"\x00\x01\x02binary", None),
    ],
)
def test_which_pages_quotes_can_be_looked_for_in(
    content_type: str | None, body: bytes, kind: str | None
) -> None:
    assert is_textual(content_type, body) == kind


def test_a_pdf_gives_no_text_even_holding_the_words() -> None:
    assert page_from_body(b"%PDF-1.4 (an absolute lie)", "application/pdf") is None


def test_plain_text_pages_are_not_parsed_as_html() -> None:
    page = page_from_body(b"a <b> is not a tag here", "text/plain")
    assert page is not None
    assert page.text == "a <b> is not a tag here"


def test_bot_wall_pages_are_told_by_their_title() -> None:
    wall = page_from_body(b"<title>Just a moment...</title><p>checking</p>", "text/html")
    story = page_from_body(b"<title>Just a moment in history</title>", "text/html")
    assert wall is not None
    assert story is not None
    assert is_bot_wall(wall)
    assert not is_bot_wall(story)


# --- properties --------------------------------------------------------------------

WORDS = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 '\"’“”—–-\u00a0\u00ad\nжЖ.,")), max_size=60
)


@given(WORDS, st.data())
def test_any_run_of_words_of_a_page_is_found_on_it(text: str, data: st.DataObject) -> None:
    words = text.split()
    if not words:
        return
    start = data.draw(st.integers(0, len(words) - 1))
    end = data.draw(st.integers(start + 1, len(words)))
    quote = " ".join(words[start:end])
    if any(ch.isalnum() for ch in quote):
        assert contains_quote(normalise(text), quote)


@given(WORDS)
def test_normalising_twice_changes_nothing(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


@given(st.binary(max_size=300), st.sampled_from([None, "text/html", "text/plain; charset=x"]))
def test_any_bytes_give_text_or_none_never_an_error(body: bytes, content_type: str | None) -> None:
    page = page_from_body(b"<p>" + body, content_type)
    assert page is None or isinstance(page.text, str)
