"""Each password rule of SPEC §4, from both sides."""

import datetime
from itertools import pairwise

import pytest
import zxcvbn_rs_py
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from accounts.services import create_shop
from security.passwords.report import check_password_strength
from security.passwords.rules import SEQUENCES, find_sequence
from security.passwords.strength import measure
from tests.factories import STRONG_PASSWORD

User = get_user_model()


def person(**details):
    defaults = {"email": "maria.lopez@example.com", "first_name": "Maria", "last_name": "Lopez"}
    return User(**{**defaults, **details})


def codes(password, user=None):
    return {failure.code for failure in check_password_strength(password, user or person()).failures}


def test_the_seed_example_passes_for_a_user_whose_details_it_does_not_contain():
    report = check_password_strength(STRONG_PASSWORD, person(date_of_birth=datetime.date(1985, 3, 14)))
    assert report.ok
    assert report.failures == []
    assert report.score >= 3


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("aR@1nY6", "too_short"),
        ("", "too_short"),
        ("aR@1nY6#y" * 15, "too_long"),
        ("9#" + "x" * 127, "too_long"),
    ],
)
def test_a_password_outside_8_to_128_characters_is_refused_with_its_length(password, code):
    report = check_password_strength(password, person())
    failure = next(f for f in report.failures if f.code == code)
    assert str(len(password)) in failure.message


def test_exactly_8_and_exactly_128_characters_are_long_enough_and_not_too_long():
    assert not codes("aR@1nY6#") & {"too_short", "too_long"}
    assert not codes(("aR@1nY6#yQ" * 13)[:128]) & {"too_short", "too_long"}


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("48213957!", "missing_letter"),
        ("qRmvTzwk!", "missing_digit"),
        ("qRm7Tzw2k", "missing_symbol"),
    ],
)
def test_a_password_without_a_letter_a_digit_or_a_symbol_is_told_which(password, missing):
    assert missing in codes(password)


@pytest.mark.parametrize("digit", ["٣", "\uff15", "²", "\u09ed"])
def test_only_0_to_9_count_as_the_digit_the_rule_asks_for_and_others_count_as_symbols(digit):
    # The rule's words say "a digit from 0 to 9": a digit of another script is not one, and since it
    # is not a letter either, it is a symbol.
    assert codes(f"Tulip{digit}harbour") & {"missing_digit", "missing_symbol"} == {"missing_digit"}
    [message] = [
        f.message
        for f in check_password_strength(f"Tulip{digit}harbour").failures
        if f.code == "missing_digit"
    ]
    assert "0 to 9" in message
    assert not codes(f"Tulip7harbour{digit}") & {"missing_digit", "missing_symbol"}


def test_the_common_rule_and_the_strength_reason_agree():
    # zxcvbn finds it close to a common password: the common rule says so too, once.
    report = check_password_strength("Monkey!12", person())
    assert [f.code for f in report.failures if f.code in ("common", "too_guessable")] == [
        "common",
        "too_guessable",
    ]
    assert not any("similar to a commonly used password" in f.message for f in report.failures)
    # On the list itself: one common failure, not two.
    assert [f.code for f in check_password_strength("password1!", person()).failures].count("common") == 1


def test_zxcvbns_ideas_come_only_with_its_own_refusal():
    assert check_password_strength("Tulip#harbour", person()).suggestions == []
    assert check_password_strength("Summer2019!", person()).suggestions


def test_a_space_an_emoji_and_non_latin_letters_count_as_symbols_and_letters():
    assert not codes("Жёлтый кот 7") & {"missing_letter", "missing_symbol"}
    assert "missing_symbol" not in codes("Gv7😀qTzm")


@pytest.mark.parametrize(
    "password",
    [
        "xx9!abcdQ",
        "xx9!DCBAq",
        "xx9!3456q",
        "xx9!6543q",
        "xx9!QwErq",
        "xx9!asdfq",
        "xx9!zxcvq",
        "xx9!jhgfq",
        "xx!7890q",
    ],
)
def test_a_run_of_four_along_the_alphabet_digits_or_a_keyboard_row_is_refused(password):
    assert "sequence" in codes(password)


@pytest.mark.parametrize("password", ["xx9!abcxQ", "xx9!acegq", "xx9!qwqwq", "xx9!0987X"[:-2] + "x5"])
def test_runs_of_three_and_broken_runs_are_not_sequences(password):
    assert "sequence" not in codes(password)


def test_the_sequence_message_names_the_run_and_where_it_comes_from():
    message = next(f.message for f in check_password_strength("Gv!4asdfT").failures if f.code == "sequence")
    assert "asdf" in message and "keyboard row" in message


# Runs the rule knows, built independently of the detector: every window of 4 along each sequence.
SEQUENCE_STRINGS = [*SEQUENCES]


@st.composite
def run_of_four(draw):
    sequence = draw(st.sampled_from(SEQUENCE_STRINGS))
    start = draw(st.integers(min_value=0, max_value=len(sequence) - 4))
    run = sequence[start : start + 4]
    if draw(st.booleans()):
        run = run[::-1]
    return "".join(c.upper() if draw(st.booleans()) else c for c in run)


def holds_a_run(text: str) -> bool:
    """A plain reference: some 4 consecutive characters step by +1 or -1 along one sequence."""
    lowered = text.lower()
    for sequence in SEQUENCE_STRINGS:
        for i in range(len(lowered) - 3):
            window = lowered[i : i + 4]
            if all(c in sequence for c in window):
                steps = {sequence.index(b) - sequence.index(a) for a, b in pairwise(window)}
                if steps in ({1}, {-1}):
                    return True
    return False


@given(before=st.text(max_size=20), run=run_of_four(), after=st.text(max_size=20))
def test_any_text_holding_a_run_of_four_is_refused_as_a_sequence(before, run, after):
    assert find_sequence(before + run + after) is not None


@given(text=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40))
def test_random_text_without_a_run_is_not_refused_as_a_sequence(text):
    assume(not holds_a_run(text))
    assert find_sequence(text) is None


@given(text=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789!-", min_size=4, max_size=30))
def test_the_detector_agrees_with_the_plain_reference_on_ascii_text(text):
    assert (find_sequence(text) is not None) == holds_a_run(text)


@pytest.mark.parametrize(
    "password",
    ["Kite!1987qz", "Kite!19-87q", "Kite!0714qz", "Kite!1407qz", "Kite!07/14q", "Kite!14.07q"],
)
def test_the_birth_year_or_birthday_as_mmdd_or_ddmm_is_refused_whatever_the_separators(password):
    assert "birth_date" in codes(password, person(date_of_birth=datetime.date(1987, 7, 14)))


def test_the_birth_date_message_says_whether_it_found_the_year_or_the_birthday():
    born_on_20_december = person(date_of_birth=datetime.date(1991, 12, 20))
    messages = [f.message for f in check_password_strength("Kite!2012qz", born_on_20_december).failures]
    assert any("birthday (20 December)" in message for message in messages)
    messages = [f.message for f in check_password_strength("Kite!1991qz", born_on_20_december).failures]
    assert any("birth year (1991)" in message for message in messages)


def test_a_birth_date_is_only_checked_when_the_user_gave_one():
    assert "birth_date" not in codes("Kite!1987qz", person(date_of_birth=None))
    assert "birth_date" not in codes("Kite!1987qz", None)


def test_other_dates_are_not_taken_for_the_birth_date():
    assert "birth_date" not in codes("Kite!1988qz", person(date_of_birth=datetime.date(1987, 7, 14)))


@pytest.mark.parametrize("password", ["password1!", "Password1!", "P@ssw0rd", "1qaz!qaz"])
def test_a_common_password_is_refused(password):
    assert "common" in codes(password)


@pytest.mark.parametrize(
    ("password", "label"),
    [
        ("Example.com!9", "e-mail address"),
        ("MariaLopez!9z", "first name"),
        ("Lopez#2024x", "last name"),
    ],
)
def test_a_password_close_to_the_email_or_names_is_refused(password, label):
    report = check_password_strength(password, person())
    assert any(f.code == "similar" and label in f.message for f in report.failures)


@pytest.mark.django_db
def test_a_password_close_to_one_of_the_users_shop_names_is_refused():
    user = User.objects.create_user("ana@example.com", STRONG_PASSWORD)
    create_shop(owner=user, name="Sunflower Crafts", slug="sunflower")
    report = check_password_strength("Sunflower!42x", user)
    assert any(f.code == "similar" and "shop name" in f.message for f in report.failures)


def test_an_easy_to_guess_password_is_refused_with_its_strength():
    report = check_password_strength("Summer2019!", person())
    assert report.score < 3
    assert any(f.code == "too_guessable" and "too easy to guess" in f.message for f in report.failures)
    assert report.suggestions


def test_zxcvbn_counts_the_users_own_details_as_easy_to_guess():
    without = measure("maria.lopez@example", None).score
    with_details = measure("maria.lopez@example", person()).score
    assert with_details < without


@pytest.mark.parametrize("length", [72, 73, 128, 129, 500, 4096])
def test_long_passwords_are_scored_without_raising(length):
    password = ("Gv7!kq2#Lm9@" * 400)[:length]
    report = check_password_strength(password, person())
    assert 0 <= report.score <= 4
    assert ("too_long" in {f.code for f in report.failures}) == (length > 128)


def test_only_the_first_72_characters_count_for_the_score():
    head = "Gv7!kq2#Lm9@" * 6
    assert measure(head + "a" * 50, None).score == measure(head, None).score


@pytest.mark.parametrize("password", ["Жёлтый кот 7!", "🦊🦊🦊🦊 лиса 9", "東京タワー!42x", "😀"])
def test_non_ascii_and_emoji_passwords_are_checked_without_error(password):
    report = check_password_strength(password, person())
    assert 0 <= report.score <= 4


def test_validate_password_raises_one_message_per_broken_rule():
    with pytest.raises(ValidationError) as refusal:
        validate_password("abcd", person())
    found = {error.code for error in refusal.value.error_list}
    assert {"too_short", "missing_digit", "missing_symbol", "sequence", "too_guessable"} <= found


@pytest.mark.parametrize(
    "password",
    [
        "baseball9princess" * 4,
        "@2019dragon" * 6,
        "ylovepasswordlovepassword!",
        "Gv7!kq2#Lm9@xT5%Rb8&Nc4*Wd6^Hf3(Js1)",
        "correct horse battery staple volcano marmalade quantum zebra 42!",
    ],
)
def test_long_passwords_score_as_zxcvbn_scores_their_first_72_characters(password):
    assert measure(password, None).score == int(zxcvbn_rs_py.zxcvbn(password[:72], []).score)


@settings(max_examples=25, deadline=None)
@given(text=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=21, max_size=72))
def test_random_long_passwords_score_as_zxcvbn_scores_them(text):
    assert measure(text, None).score == int(zxcvbn_rs_py.zxcvbn(text, []).score)
