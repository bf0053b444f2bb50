"""Dodges and pasted characters are folded before matching; spans still point at the original text."""
import pytest

from linter import lint
from linter.normalise import fold, to_original


@pytest.mark.parametrize("text, expected", [
    ("Are you free for a quick c@ll on Thursday?", "Are you free for a quick call on Thursday?"),
    ("Want a d3mo? It's fr33.", "Want a demo? It's free."),
    ("Book a D E M O now", "Book a DEMO now"),
    ("quick c\u0430ll", "quick call"),            # Cyrillic a
    ("hi\u200b there", "hi there"),               # zero-width space
    ("\u201cquoted\u201d \u2014 ok", '"quoted" - ok'),
    ("\ufb01nance", "finance"),                    # NFKC ligature
    ("Call me at 555-0134 in room 101", "Call me at 555-0134 in room 101"),  # numbers left alone
    ("I a m here", "I a m here"),                 # spaced letters that are no sales term
])
def test_fold(text, expected):
    folded, index = fold(text)
    assert folded == expected
    assert len(index) == len(folded)
    for i, ch in enumerate(folded):
        assert 0 <= index[i] < len(text)


def test_spans_map_back_to_the_original_characters():
    text = "Hi Dana,\u200b are you free for a quick c@ll on Thursday? Book a D E M O!"
    folded, index = fold(text)
    start = folded.index("call")
    assert text.__getitem__(slice(*to_original(index, len(text), start, start + 4))) == "c@ll"
    start = folded.index("DEMO")
    assert text.__getitem__(slice(*to_original(index, len(text), start, start + 4))) == "D E M O"


def test_disguised_meeting_ask_is_flagged_with_the_original_words():
    text = "Hi Marco, thanks for connecting. Are you free for a quick c@ll on Thursday?"
    [ask] = [f for f in lint(text).findings if f.code == "HS002"]
    assert ask.excerpt == "Are you free for a quick c@ll on Thursday?"
    assert text[ask.start:ask.end] == ask.excerpt


def test_expansion_bombs_and_long_runs_stay_bounded():
    """NFKC must not multiply the text (U+FDFA is 18 characters), and a run with no spaces is split so
    spaCy's tokenizer (quadratic in such a run) stays fast; every character still maps back."""
    text = "\ufdfa" * 50 + " ok"
    folded, index = fold(text)
    assert folded == text
    text = "Hi " + "x" * 1000 + " there"
    folded, index = fold(text)
    assert folded.replace(" ", "") == text.replace(" ", "") and folded.count(" ") == 2 + 4
    assert len(index) == len(folded) and all(0 <= i < len(text) for i in index)
    assert max(map(len, folded.split())) <= 200


def test_spaced_letters_over_a_long_line_are_linear():
    text = "a " * 20000 + "D E M O"
    folded, _ = fold(text)
    assert folded.endswith("DEMO")


def test_per_character_tables_only_map_non_ascii():
    """fold() copies ASCII text through untouched, so no table may map an ASCII character."""
    from linter.normalise import FOLD, confusables

    assert not any(ch.isascii() for ch in (*confusables(), *FOLD))
