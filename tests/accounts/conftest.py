"""Sign-in and sign-up fixtures."""

import pytest
from django.core.cache import cache

from tests.accounts.oidc import OidcProvider, ensure_node_modules, start_provider, stop_provider
from tests.accounts.saml_idp import HOST, SamlIdp


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts sign-ups and failed sign-ins per IP in the cache (Redis in tests, kept between
    # tests and runs); every test here comes from 127.0.0.1, so start each one with a clean count.
    cache.clear()


@pytest.fixture(scope="session")
def _oidc_provider_process(tmp_path_factory):
    """One real OpenID Connect provider per test process (so pytest-xdist workers never share one)."""
    ensure_node_modules()
    workdir = tmp_path_factory.mktemp("oidc_provider")
    accounts_file = workdir / "accounts.json"
    accounts_file.write_text("{}")
    process, issuer = start_provider(accounts_file=accounts_file, log_file=workdir / "provider.log")
    yield issuer, accounts_file
    stop_provider(process)


@pytest.fixture
def oidc_provider(_oidc_provider_process, settings) -> OidcProvider:
    """The provider with nobody signed up yet, configured as Hive's SSO (as HIVE_OIDC_* would)."""
    issuer, accounts_file = _oidc_provider_process
    accounts_file.write_text("{}")
    provider = OidcProvider(issuer=issuer, accounts_file=accounts_file)
    settings.SOCIALACCOUNT_PROVIDERS = provider.app_settings()
    return provider


@pytest.fixture(scope="session")
def idp() -> SamlIdp:
    """A SAML identity provider with its own key pair (tests/accounts/saml_idp.py)."""
    return SamlIdp.create()


@pytest.fixture
def saml_host(client, settings):
    """Requests to Hive under a dotted host name, as browsers send it: python3-saml builds its URLs
    from it and refuses single-label hosts such as "testserver"."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST]
    client.defaults["HTTP_HOST"] = HOST


@pytest.fixture
def saml(idp, settings) -> SamlIdp:
    """The IdP configured as Hive's SAML sign-in (as HIVE_SAML_* would), with its logout URL."""
    settings.SOCIALACCOUNT_PROVIDERS = idp.app_settings()
    return idp
