"""Automatic rules: watched words, RE2 expressions and the confidential-data detectors, what they
say about a text, and the checks that refuse a rule that cannot work."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from moderation import detectors
from moderation.models import AuditEntry
from moderation.rules import rule_create, rule_delete, rule_update, text_check, text_screen, words_create
from moderation.rules_models import WatchedRule

pytestmark = pytest.mark.django_db

ALL = ["posts", "comments", "kudos", "profiles"]


@pytest.fixture
def rule(moderator):
    def make(pattern, action="flag", kind="word", where=ALL, **extra):
        return rule_create(actor=moderator, kind=kind, pattern=pattern, action=action, where=where, **extra)

    return make


# --- Watched words -------------------------------------------------------------------------------


def test_a_watched_word_matches_whole_words_in_any_case(rule):
    rule("crypto")
    assert text_screen(text="Anyone into CRYPTO?", where="posts").action == "flag"
    assert text_screen(text="cryptography talk on Friday", where="posts").action is None


def test_a_star_stands_for_the_rest_of_a_word(rule):
    rule("crypto*")
    assert text_screen(text="cryptocurrency tips", where="posts").action == "flag"


def test_a_phrase_matches_across_any_spacing_and_invisible_characters(rule):
    rule("buy now", action="hold")
    assert text_screen(text="BUY\n  now!!", where="posts").action == "hold"
    assert text_screen(text="b\u200buy now", where="posts").action == "hold"
    assert text_screen(text="ｂｕｙ ｎｏｗ", where="posts").action == "hold"  # full-width letters


def test_accented_words_match_with_unicode_word_boundaries(rule):
    rule("café")
    assert text_screen(text="Le CAFÉ est fermé", where="posts").action == "flag"
    assert text_screen(text="cafétéria", where="posts").action is None


def test_the_strictest_matching_rule_decides(rule):
    rule("falcon", action="flag")
    rule(r"project\s+falcon", kind="regex", action="block", message="Project names are confidential.")
    verdict = text_screen(text="Project Falcon ships in May", where="posts")
    assert verdict.action == "block"
    assert len(verdict.hits) == 2
    with pytest.raises(ValidationError) as exc:
        text_check(text="Project Falcon ships in May", where="posts")
    assert "Project names are confidential" in exc.value.messages[0]
    assert "Nothing was saved" in exc.value.messages[0]


def test_a_rule_applies_only_where_it_is_set_to(rule):
    rule("offsite", where=["comments"])
    assert text_screen(text="offsite plans", where="comments").action == "flag"
    assert text_screen(text="offsite plans", where="posts").action is None


def test_an_inactive_rule_does_nothing_and_a_change_applies_at_once(rule, moderator):
    r = rule("bonus")
    assert text_screen(text="bonus time", where="posts").action == "flag"
    rule_update(actor=moderator, rule_id=r.pk, pattern="bonus", action="flag", where=ALL, is_active=False)
    assert text_screen(text="bonus time", where="posts").action is None


def test_many_words_at_once_skip_those_already_watched(moderator, rule):
    rule("alpha")
    created = words_create(actor=moderator, words="alpha\nbeta\n\ngamma\nbeta", action="flag", where=ALL)
    assert sorted(r.pattern for r in created) == ["beta", "gamma"]
    assert WatchedRule.objects.count() == 3


def test_one_bad_word_in_a_list_saves_none_of_them(moderator):
    with pytest.raises(ValidationError):
        words_create(actor=moderator, words="fine\n*\nalso fine", action="flag", where=ALL)
    assert WatchedRule.objects.count() == 0


# --- Regular expressions ----------------------------------------------------------------------------


def test_an_expression_re2_cannot_run_is_refused_with_a_clear_reason(rule):
    for pattern in [r"(a)\1", r"(?=secret)\w+", "(unclosed"]:
        with pytest.raises(ValidationError) as exc:
            rule(pattern, kind="regex")
        assert "can't be used" in str(exc.value)
    assert WatchedRule.objects.count() == 0


def test_an_expression_that_matches_empty_text_is_refused(rule):
    with pytest.raises(ValidationError) as exc:
        rule("x*", kind="regex")
    assert "matches empty text" in str(exc.value)


def test_nested_quantifiers_on_a_long_input_run_in_linear_time(rule):
    # Catastrophic for a backtracking engine (2^n steps); RE2 answers in one pass over the text.
    rule(r"(a+)+$", kind="regex", action="flag")
    rule(r"^(\w+\s?)*!$", kind="regex", action="flag")
    assert text_screen(text="a" * 5000, where="posts").action == "flag"
    assert text_screen(text="a" * 4999 + "?", where="posts").action is None
    assert text_screen(text="word " * 900 + "?", where="posts").action is None


def test_expressions_ignore_case(rule):
    rule(r"\binternal[- ]only\b", kind="regex", action="hold")
    assert text_screen(text="This is INTERNAL-ONLY", where="posts").action == "hold"


# --- Detectors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["card 4111 1111 1111 1111 thanks", "5500-0000-0000-0004", "amex 378282246310005"],
)
def test_the_card_detector_finds_luhn_valid_card_numbers(text):
    assert [f.detector for f in detectors.cards_find(text)] == ["card"]


@pytest.mark.parametrize(
    "text", ["order 4111 1111 1111 1112", "ticket 1234567812345678", "phone +44 20 7946 0958"]
)
def test_the_card_detector_ignores_numbers_that_fail_the_checks(text):
    assert detectors.cards_find(text) == []


def test_the_iban_detector_checks_the_checksum_and_the_country_length():
    found = detectors.ibans_find("pay DE89 3704 0044 0532 0130 00 or GB82WEST12345698765432 please")
    assert [f.label for f in found] == ["IBAN (DE)", "IBAN (GB)"]
    assert detectors.ibans_find("DE89 3704 0044 0532 0130 01") == []  # checksum off by one
    assert detectors.ibans_find("DE89 3704 0044 0532 0130") == []  # too short for Germany


@pytest.mark.parametrize(
    ("country", "valid", "invalid"),
    [
        ("US", "SSN 123-45-6789", "SSN 000-45-6789"),
        ("GB", "NI AB 12 34 56 C", "NI GB 12 34 56 C"),
        ("FR", "NIR 1 85 05 78 006 084 91", "NIR 1 85 05 78 006 084 92"),
        ("ES", "DNI 12345678Z", "DNI 12345678A"),
        ("NL", "BSN 111222333", "BSN 111222334"),
        ("SE", "pnr 811218-9876", "pnr 811218-9875"),
        ("IT", "CF RSSMRA85T10A562S", "CF RSSMRA85T10A562T"),
    ],
)
def test_national_ids_pass_their_own_check_digit(country, valid, invalid):
    assert len(detectors.national_ids_find(valid, countries=[country])) == 1
    assert detectors.national_ids_find(invalid, countries=[country]) == []


def test_the_national_id_detector_looks_only_for_the_chosen_countries(rule):
    rule("national_id", kind="detector", action="block", countries="fr, es")
    assert text_screen(text="DNI 12345678Z", where="posts").action == "block"
    assert text_screen(text="SSN 123-45-6789", where="posts").action is None


def test_an_unknown_country_is_refused(rule):
    with pytest.raises(ValidationError) as exc:
        rule("national_id", kind="detector", countries="FR,XX")
    assert "XX" in str(exc.value)


@pytest.mark.parametrize(
    "text",
    [
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA",
        "aws AKIAIOSFODNN7EXAMPLE",
        "token ghp_" + "a1B2" * 9,
        "xoxb-123456789012-abcdefghijkl",
        "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
        "AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    ],
)
def test_the_secret_detector_finds_keys_and_tokens_and_masks_them(text):
    found = detectors.secrets_find(text)
    assert len(found) == 1
    assert "•" in found[0].masked


def test_a_detector_hit_shows_the_author_a_masked_value(rule):
    rule("card", kind="detector", action="block")
    with pytest.raises(ValidationError) as exc:
        text_check(text="my card is 4111 1111 1111 1111", where="comments")
    message = exc.value.messages[0]
    assert "payment card number" in message
    assert "4111 1111 1111 1111" not in message and "41••" in message


# --- Who may change rules, and the record ------------------------------------------------------------


def test_only_moderators_change_rules(author):
    with pytest.raises(PermissionDenied):
        rule_create(actor=author, kind="word", pattern="spam", action="flag", where=ALL)


def test_every_rule_change_is_audited_with_before_and_after(rule, moderator):
    r = rule("bonus")
    rule_update(actor=moderator, rule_id=r.pk, pattern="bonuses", action="hold", where=["posts"])
    rule_delete(actor=moderator, rule_id=r.pk)
    entries = list(AuditEntry.objects.filter(object_id=r.pk, action__startswith="rule.").order_by("id"))
    assert [e.action for e in entries] == ["rule.create", "rule.update", "rule.delete"]
    assert all(e.actor == moderator for e in entries)
    assert entries[1].detail["before"]["pattern"] == "bonus"
    assert entries[1].detail["after"] == {
        "kind": "word",
        "pattern": "bonuses",
        "countries": "",
        "action": "hold",
        "message": "",
        "where": ["posts"],
        "is_active": True,
    }
    assert entries[2].detail["before"]["pattern"] == "bonuses"
    assert text_screen(text="bonuses", where="posts").action is None


def test_a_star_at_the_start_or_inside_a_phrase_still_matches(rule):
    rule("*coin")
    rule("buy* now", action="hold")
    assert text_screen(text="BITCOIN is up", where="posts").action == "flag"
    assert text_screen(text="buying   now", where="posts").action == "hold"
    assert text_screen(text="coins", where="posts").action is None


def test_hundreds_of_watched_words_compile_and_match(moderator):
    words = "\n".join(f"zq{n:03d}word" for n in range(600))
    words_create(actor=moderator, words=words, action="flag", where=ALL)
    assert text_screen(text="we say zq599word here", where="comments").action == "flag"
    assert text_screen(text="nothing to see", where="comments").action is None
