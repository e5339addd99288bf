"""Settings come from the environment and fail loudly: each case starts a fresh Python with only the
variables it names, since settings are read once per process."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list

PRINT_PROVIDERS = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.SOCIALACCOUNT_PROVIDERS))"
)
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "hive.example.com",
    # Parsed, never connected to: `check --deploy` reads settings only.
    "DATABASE_URL": "postgres://hive:db-password@db.internal:5432/hive",
    "REDIS_URL": "redis://redis.internal:6379/0",
}


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Python in the project directory with a clean environment: nothing leaks in from `make test`."""
    clean = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _secret_key() -> str:
    return secrets.token_urlsafe(60)[:60]


def test_production_settings_pass_the_deployment_checklist():
    result = _run(["manage.py", "check", "--deploy"], DJANGO_SECRET_KEY=_secret_key(), **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout + result.stderr


def test_missing_secret_key_stops_production_with_a_clear_message():
    result = _run(["-c", "import django; django.setup()"], **PRODUCTION)

    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off." in result.stderr


def test_debug_mode_runs_without_a_secret_key():
    result = _run(
        ["-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
        DJANGO_DEBUG="true",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_oidc_provider_is_configured_from_the_environment():
    result = _run(
        ["-c", PRINT_PROVIDERS],
        DJANGO_SECRET_KEY=_secret_key(),
        HIVE_OIDC_CLIENT_ID="hive-client",
        HIVE_OIDC_CLIENT_SECRET="oidc-secret",
        HIVE_OIDC_SERVER_URL="https://login.example.com/tenant/v2.0",
    )

    assert result.returncode == 0, result.stderr
    provider = json.loads(result.stdout)["openid_connect"]
    assert provider["OAUTH_PKCE_ENABLED"] is True
    assert provider["APPS"] == [
        {
            "provider_id": "sso",
            "name": "Company SSO",
            "client_id": "hive-client",
            "secret": "oidc-secret",
            "settings": {"server_url": "https://login.example.com/tenant/v2.0", "verified_email": False},
        }
    ]


def test_an_authoritative_provider_vouches_only_for_the_company_domains():
    result = _run(
        ["-c", PRINT_PROVIDERS],
        DJANGO_SECRET_KEY=_secret_key(),
        HIVE_OIDC_CLIENT_ID="hive-client",
        HIVE_OIDC_SERVER_URL="https://login.example.com/tenant/v2.0",
        HIVE_OIDC_EMAIL_AUTHORITATIVE="true",
        HIVE_SIGNUP_DOMAINS="example.com,Example.org",
    )

    assert result.returncode == 0, result.stderr
    app = json.loads(result.stdout)["openid_connect"]["APPS"][0]
    assert app["settings"]["verified_email"] == ["example.com", "example.org"]


def test_no_sso_provider_without_a_client_id():
    result = _run(["-c", PRINT_PROVIDERS], DJANGO_SECRET_KEY=_secret_key())

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {}


def test_oidc_client_id_without_server_url_is_refused():
    result = _run(["-c", PRINT_PROVIDERS], DJANGO_SECRET_KEY=_secret_key(), HIVE_OIDC_CLIENT_ID="hive-client")

    assert result.returncode != 0
    assert "HIVE_OIDC_SERVER_URL must be set with HIVE_OIDC_CLIENT_ID." in result.stderr


def test_a_debug_flag_that_is_not_a_boolean_stops_start_up():
    result = _run(["-c", "import django; django.setup()"], DJANGO_DEBUG="maybe")

    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean; use true or false." in result.stderr


# --- The environment readers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), (" Yes ", True), ("1", True), ("off", False), ("0", False)]
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("HIVE_TEST_FLAG", raw)

    assert env_bool("HIVE_TEST_FLAG", not expected) is expected


def test_env_bool_falls_back_to_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("HIVE_TEST_FLAG", raising=False)

    assert env_bool("HIVE_TEST_FLAG", True) is True


@pytest.mark.parametrize("raw", ["maybe", "ture", "2"])
def test_env_bool_refuses_anything_else(monkeypatch, raw):
    monkeypatch.setenv("HIVE_TEST_FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match="HIVE_TEST_FLAG=.* is not a boolean"):
        env_bool("HIVE_TEST_FLAG")


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("HIVE_TEST_NUMBER", "ten")

    with pytest.raises(ImproperlyConfigured, match="HIVE_TEST_NUMBER='ten' is not a whole number"):
        env_int("HIVE_TEST_NUMBER", 10)


def test_env_list_drops_blanks(monkeypatch):
    monkeypatch.setenv("HIVE_TEST_LIST", " hive.example.com, ,localhost,")

    assert env_list("HIVE_TEST_LIST") == ["hive.example.com", "localhost"]


def test_behind_a_proxy_sign_in_limits_count_the_clients_address():
    show = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    production = {**PRODUCTION, "DJANGO_SECRET_KEY": _secret_key(), "DJANGO_BEHIND_PROXY": "true"}

    assert _run(["-c", show], **production).stdout.strip() == "1"
    assert _run(["-c", show], **production, DJANGO_PROXY_COUNT="2").stdout.strip() == "2"


def test_schema_commands_run_from_a_bare_checkout_and_find_the_migrations_complete(tmp_path):
    # No DEBUG, no secret, as a pre-commit hook runs it: the models and migrations must agree.
    result = _run(
        ["manage.py", "makemigrations", "--check", "--dry-run"],
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert "No changes detected" in result.stdout


def test_other_commands_still_refuse_to_start_without_the_secret(tmp_path):
    result = _run(["manage.py", "check"], DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_sso_only_without_single_sign_on_is_refused():
    result = _run(["-c", PRINT_PROVIDERS], DJANGO_SECRET_KEY=_secret_key(), HIVE_SSO_ONLY="true")

    assert result.returncode != 0
    needs = "HIVE_SSO_ONLY needs single sign-on: set HIVE_OIDC_CLIENT_ID or HIVE_SAML_IDP_ENTITY_ID."
    assert needs in result.stderr


PRINT_REDIS_PREFIXES = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps([settings.CACHES['default'].get('KEY_PREFIX', ''), "
    "settings.CELERY_BROKER_TRANSPORT_OPTIONS.get('global_keyprefix', '')]))"
)


def test_each_parallel_test_process_keeps_its_redis_keys_apart():
    redis = {"DJANGO_SECRET_KEY": _secret_key(), "REDIS_URL": "redis://redis.internal:6379/0"}

    worker = _run(["-c", PRINT_REDIS_PREFIXES], PYTEST_XDIST_WORKER="gw3", **redis)
    alone = _run(["-c", PRINT_REDIS_PREFIXES], **redis)

    assert worker.returncode == 0, worker.stderr
    assert json.loads(worker.stdout) == ["hive-test-gw3", "hive-test-gw3:celery:"]
    assert json.loads(alone.stdout) == ["", ""]  # production and single-process runs: no prefix
