"""Accounts the company created (HR import, seed_demo, and older ones) have verified addresses, so single
sign-on joins each person to their own account, their password keeps working, and they are told."""

from importlib import import_module

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings

from profiles.hr_import import employees_import
from profiles.models import User
from tests.accounts.oidc import signed_in_user
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

HR_FILE = b"email,name,title\nIvy.Imported@example.com,Ivy Imported,Analyst\n"
DEMO_PASSWORD = "hive-demo-2026"


def test_hr_import_records_each_new_address_as_verified_and_primary():
    employees_import(data=HR_FILE)

    user = User.objects.get(email__iexact="ivy.imported@example.com")
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("ivy.imported@example.com", True, True)


def test_hr_import_does_not_verify_an_address_someone_typed_in_before():
    squatter = UserFactory(email="ivy.imported@example.com")
    EmailAddress.objects.create(user=squatter, email="ivy.imported@example.com", verified=False, primary=True)

    employees_import(data=HR_FILE)

    assert EmailAddress.objects.get(user=squatter).verified is False


def test_hr_imported_person_signs_in_through_sso_into_their_account_and_is_told(oidc_provider):
    employees_import(data=HR_FILE)
    ivy = User.objects.get(email__iexact="ivy.imported@example.com")
    oidc_provider.add_person(
        sub="sub-ivy", username="ivy", email="ivy.imported@example.com", email_verified=True, name="I. I."
    )
    browser = Client()

    response = oidc_provider.sign_in(browser, username="ivy")

    assert "Ivy Imported" in response.content.decode()  # HR's name, not overwritten by the claim
    assert signed_in_user(browser) == ivy
    assert SocialAccount.objects.get(user=ivy).uid == "sub-ivy"
    assert [m.to for m in mail.outbox] == [["ivy.imported@example.com"]]
    assert mail.outbox[0].subject.endswith("Single sign-on is now connected to your Hive account")
    assert "Your Company SSO sign-in is now connected to your Hive account" in mail.outbox[0].body


def test_a_first_sso_sign_up_sends_no_connected_notice(oidc_provider):
    oidc_provider.add_person(sub="sub-new", username="new", email="new@example.com", email_verified=True)

    oidc_provider.sign_in(Client(), username="new")

    assert mail.outbox == []


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_demo_moderator_lands_in_their_own_account_and_keeps_their_password(oidc_provider):
    # Issue 14's exact scenario: the attacker's account carries moderator@example.com, unverified.
    call_command("seed_demo", employees=30, stdout=None)
    moderator = User.objects.get(email="moderator@example.com")
    attacker = ProfileFactory(user__email="mallory@example.com", display_name="Mallory").user
    EmailAddress.objects.create(user=attacker, email="mallory@example.com", verified=False, primary=True)
    EmailAddress.objects.create(user=attacker, email="moderator@example.com", verified=False, primary=False)
    oidc_provider.add_person(
        sub="sub-mod", username="mod", email="moderator@example.com", email_verified=True
    )
    browser = Client()

    oidc_provider.sign_in(browser, username="mod")

    assert signed_in_user(browser) == moderator
    assert Client().login(email="moderator@example.com", password=DEMO_PASSWORD)
    assert not SocialAccount.objects.filter(user=attacker).exists()


def test_migration_verifies_addresses_only_of_accounts_nobody_signed_up_for():
    migration = import_module("profiles.migrations.0006_verify_company_given_addresses")
    created_by_company = UserFactory(email="Old.Import@example.com")
    signed_up = UserFactory(email="typed@example.com")
    EmailAddress.objects.create(user=signed_up, email="typed@example.com", verified=False, primary=True)
    already_verified = UserFactory(email="sso@example.com")
    EmailAddress.objects.create(user=already_verified, email="sso@example.com", verified=True, primary=True)

    migration.verify_company_given_addresses(apps, None)
    migration.verify_company_given_addresses(apps, None)  # a second run changes nothing

    assert list(
        EmailAddress.objects.filter(user=created_by_company).values_list("email", "verified", "primary")
    ) == [("old.import@example.com", True, True)]
    assert EmailAddress.objects.get(user=signed_up).verified is False
    assert EmailAddress.objects.filter(user=already_verified).count() == 1
