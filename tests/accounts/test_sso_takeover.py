"""The account takeover through single sign-on reported in issue 14 (the nOAuth class of flaw), step by
step, against a real OpenID Connect provider on loopback. Each step must fail: an email the provider did
not verify neither creates an account nor joins one, and an account is found by the provider's subject."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from profiles.models import User
from tests.accounts.oidc import signed_in_user
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    """The real moderator: a Hive account whose address Hive has verified."""
    profile = ProfileFactory(user__email="moderator@example.com", display_name="Maria Moderator")
    EmailAddress.objects.create(user=profile.user, email="moderator@example.com", verified=True, primary=True)
    return profile.user


def test_step1_unverified_email_cannot_reach_the_sign_up_form_and_pick_a_free_address(
    oidc_provider, moderator
):
    # The attacker controls a provider account claiming the moderator's address, unverified.
    oidc_provider.add_person(
        sub="sub-attacker", username="mallory", email="moderator@example.com", email_verified=False
    )
    attacker = Client()

    response = oidc_provider.sign_in(attacker, username="mallory")
    # Then tries the sign-up form that used to follow, with a free company address typed in.
    attacker.post(reverse("socialaccount_signup"), {"email": "new.hire@example.com"})

    assert response.status_code == 403
    assert "did not confirm that moderator@example.com belongs to you" in response.content.decode()
    assert signed_in_user(attacker) is None
    assert not User.objects.filter(email__in=["new.hire@example.com"]).exists()
    assert not SocialAccount.objects.filter(uid="sub-attacker").exists()
    assert User.objects.count() == 1


@pytest.fixture
def attackers_account():
    """What the attacker held after step 1 before the fix: an account signed up as new.hire@ through
    the form, connected to their provider subject, still carrying the unverified moderator@ address."""
    user = ProfileFactory(user__email="new.hire@example.com", display_name="Mallory").user
    EmailAddress.objects.create(user=user, email="new.hire@example.com", verified=False, primary=True)
    EmailAddress.objects.create(user=user, email="moderator@example.com", verified=False, primary=False)
    SocialAccount.objects.create(user=user, provider="sso", uid="sub-attacker", extra_data={})
    return user


def test_step2_verified_owner_lands_in_their_own_account_not_the_attackers(
    oidc_provider, moderator, attackers_account
):
    oidc_provider.add_person(
        sub="sub-maria", username="maria", email="moderator@example.com", email_verified=True
    )
    oidc_provider.add_person(
        sub="sub-attacker", username="mallory", email="moderator@example.com", email_verified=False
    )
    victim, attacker = Client(), Client()

    victim_page = oidc_provider.sign_in(victim, username="maria")
    oidc_provider.sign_in(attacker, username="mallory")

    assert "Maria Moderator" in victim_page.content.decode()
    assert signed_in_user(victim) == moderator
    assert signed_in_user(attacker) == attackers_account
    assert SocialAccount.objects.get(uid="sub-maria").user == moderator
    assert list(SocialAccount.objects.filter(user=attackers_account).values_list("uid", flat=True)) == [
        "sub-attacker"
    ]


def test_step2_owner_of_an_account_without_email_records_is_not_put_into_the_attackers(
    oidc_provider, attackers_account
):
    # Accounts made before Hive recorded verified addresses for the people it creates (a createsuperuser,
    # an old import) hold their address only on the user row: nothing proves it, so nobody is joined to it.
    legacy_moderator = ProfileFactory(
        user__email="moderator@example.com", display_name="Maria Moderator"
    ).user
    oidc_provider.add_person(
        sub="sub-maria", username="maria", email="moderator@example.com", email_verified=True
    )
    victim = Client()

    response = oidc_provider.sign_in(victim, username="maria")

    assert response.status_code == 403
    assert signed_in_user(victim) is None
    assert not SocialAccount.objects.filter(uid="sub-maria").exists()
    legacy_moderator.refresh_from_db()
    assert legacy_moderator.check_password("correct-horse-battery")


def test_step2_verified_owner_is_not_put_into_an_account_squatting_their_unverified_address(
    oidc_provider, attackers_account
):
    # The real new hire has no Hive account yet; the attacker's account holds their address, unverified.
    oidc_provider.add_person(
        sub="sub-new-hire", username="nina", email="new.hire@example.com", email_verified=True
    )
    new_hire = Client()

    response = oidc_provider.sign_in(new_hire, username="nina")

    assert response.status_code == 403
    assert "its address was never confirmed" in response.content.decode()
    assert signed_in_user(new_hire) is None
    assert not SocialAccount.objects.filter(uid="sub-new-hire").exists()
    attackers_account.refresh_from_db()
    assert attackers_account.check_password("correct-horse-battery")  # nothing changed on that account


def test_step3_unverified_email_with_no_conflicting_account_is_refused(oidc_provider):
    oidc_provider.add_person(
        sub="sub-free", username="fred", email="fresh.face@example.com", email_verified=False
    )
    browser = Client()

    response = oidc_provider.sign_in(browser, username="fred")

    assert response.status_code == 403
    assert "did not confirm that fresh.face@example.com belongs to you" in response.content.decode()
    assert signed_in_user(browser) is None
    assert not User.objects.filter(email="fresh.face@example.com").exists()


def test_step3_missing_email_verified_claim_counts_as_unverified(oidc_provider):
    oidc_provider.add_person(sub="sub-quiet", username="quinn", email="quinn@example.com")
    browser = Client()

    response = oidc_provider.sign_in(browser, username="quinn")

    assert response.status_code == 403
    assert signed_in_user(browser) is None
    assert not User.objects.exists()


def test_authoritative_provider_vouches_for_company_addresses_without_email_verified(oidc_provider, settings):
    # HIVE_OIDC_EMAIL_AUTHORITATIVE=true, for providers such as Entra ID that send no email_verified.
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider.app_settings(verified_email=settings.HIVE_SIGNUP_DOMAINS)
    oidc_provider.add_person(sub="sub-entra", username="erin", email="erin@example.com", name="Erin Entra")
    browser = Client()

    oidc_provider.sign_in(browser, username="erin")

    user = signed_in_user(browser)
    assert user.email == "erin@example.com"
    assert EmailAddress.objects.get(user=user).verified is True


def test_an_account_is_found_by_subject_even_when_the_provider_email_changes(oidc_provider, moderator):
    # A provider account that once signed in keeps its Hive account; pointing its email at someone
    # else's address (an admin's typo, or a self-service edit) does not move it into theirs.
    oidc_provider.add_person(sub="sub-sam", username="sam", email="sam@example.com", email_verified=True)
    oidc_provider.sign_in(Client(), username="sam")
    sam = User.objects.get(email="sam@example.com")
    oidc_provider.add_person(
        sub="sub-sam", username="sam", email="moderator@example.com", email_verified=True
    )
    browser = Client()

    oidc_provider.sign_in(browser, username="sam")

    assert signed_in_user(browser) == sam


def test_authoritative_provider_saying_not_verified_is_believed(oidc_provider, settings, moderator):
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider.app_settings(verified_email=settings.HIVE_SIGNUP_DOMAINS)
    oidc_provider.add_person(
        sub="sub-attacker", username="mallory", email="moderator@example.com", email_verified="false"
    )
    attacker = Client()

    response = oidc_provider.sign_in(attacker, username="mallory")

    assert response.status_code == 403
    assert signed_in_user(attacker) is None
    assert not SocialAccount.objects.exists()
