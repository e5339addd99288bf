"""Drives a real OpenID Connect provider (tests/accounts/oidc_provider/provider.mjs) from the tests.

`OidcProvider` holds the provider's people (a JSON file the provider re-reads at every sign-in) and walks
a browser through the whole flow: Hive's SSO button, the provider's authorize endpoint and login form, and
back to Hive's callback, which then calls the provider's token and userinfo endpoints itself.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import select
import subprocess
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

PROVIDER_DIR = Path(__file__).parent / "oidc_provider"
CLIENT_ID = "hive"
CLIENT_SECRET = "test-only-client-secret"
PROVIDER_ID = "sso"
CALLBACK_PATH = f"/accounts/oidc/{PROVIDER_ID}/login/callback/"
LOGOUT_PATH = "/accounts/logout/"
START_TIMEOUT_SECONDS = 30


def ensure_node_modules() -> None:
    """Installs the provider's locked packages once; a lock keeps parallel test processes from racing."""
    with open(PROVIDER_DIR / ".npm-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json").exists():
            try:
                subprocess.run(
                    ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                    cwd=PROVIDER_DIR,
                    check=True,
                    timeout=600,
                )
            except FileNotFoundError as error:
                raise RuntimeError("The SSO tests need Node.js 18+ and npm on PATH.") from error


def start_provider(*, accounts_file: Path, log_file: Path) -> tuple[subprocess.Popen, str]:
    """Starts the provider on a port the OS picks; returns the process and its issuer URL."""
    env = {
        **os.environ,
        "OIDC_ACCOUNTS_FILE": str(accounts_file),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        # allauth builds the callback URL from the request; production settings may make it https.
        "OIDC_REDIRECT_URIS": f"http://testserver{CALLBACK_PATH} https://testserver{CALLBACK_PATH}",
        # Where Hive sends people after signing out (LOGOUT_REDIRECT_URL).
        "OIDC_POST_LOGOUT_REDIRECT_URIS": "http://testserver/ https://testserver/",
    }
    with open(log_file, "w") as log:
        process = subprocess.Popen(
            ["node", "provider.mjs"], cwd=PROVIDER_DIR, env=env, stdout=subprocess.PIPE, stderr=log, text=True
        )
    ready, _, _ = select.select([process.stdout], [], [], START_TIMEOUT_SECONDS)
    line = process.stdout.readline() if ready else ""
    if not line:
        process.kill()
        raise RuntimeError(f"The test OIDC provider did not start: {log_file.read_text()}")
    return process, json.loads(line)["issuer"]


def stop_provider(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class OidcProvider:
    issuer: str
    accounts_file: Path
    people: dict = field(default_factory=dict)
    login_forms_filled: int = 0

    def app_settings(self, **extra) -> dict:
        """SOCIALACCOUNT_PROVIDERS as config/settings.py builds it from HIVE_OIDC_*."""
        return {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": PROVIDER_ID,
                        "name": "Company SSO",
                        "client_id": CLIENT_ID,
                        "secret": CLIENT_SECRET,
                        "settings": {"server_url": self.issuer, **extra},
                    }
                ],
            }
        }

    def add_person(self, *, sub: str, username: str, password: str = "provider-pass", **claims) -> None:
        """Adds (or replaces) someone at the provider; `claims` become their userinfo claims."""
        self.people[sub] = {"username": username, "password": password, "claims": claims}
        self.accounts_file.write_text(json.dumps(self.people))

    def sign_in(self, client, *, username: str, password: str = "provider-pass", browser=None):
        """Clicks Hive's SSO button and signs in at the provider; returns Hive's last response.

        `client` is the person's browser on Hive's side (a Django test client); `browser` its cookies
        at the provider (a requests.Session), fresh unless given, so by default every sign-in goes
        through the provider's login form. `login_forms_filled` counts the times it did.
        """
        response = client.post(f"/accounts/oidc/{PROVIDER_ID}/login/")
        assert response.status_code == 302, response.content[:500]
        browser = browser if browser is not None else requests.Session()
        url = response["Location"]
        for _ in range(20):
            if urlsplit(url).netloc == "testserver":
                parts = urlsplit(url)
                return client.get(f"{parts.path}?{parts.query}", follow=True)
            provider_response = browser.get(url, allow_redirects=False, timeout=10)
            if provider_response.is_redirect:
                url = urljoin(url, provider_response.headers["Location"])
                continue
            form = re.search(r'<form method="post" action="([^"]+)"', provider_response.text)
            assert form, (
                f"No login form at the provider: {provider_response.status_code} {provider_response.text}"
            )
            self.login_forms_filled += 1
            provider_response = browser.post(
                urljoin(url, unescape(form.group(1))),
                data={"username": username, "password": password},
                allow_redirects=False,
                timeout=10,
            )
            assert provider_response.is_redirect, f"Provider refused sign-in: {provider_response.text}"
            url = urljoin(url, provider_response.headers["Location"])
        raise AssertionError("Too many redirects between Hive and the provider")


def signed_in_user(client):
    """Who Hive's home page is for in this browser, or None when Hive sends them to sign in."""
    from django.urls import reverse

    response = client.get(reverse("feed:home"))
    return response.wsgi_request.user if response.status_code == 200 else None


def confirm_provider_logout(browser, url: str):
    """Follows Hive's redirect to the provider's end_session endpoint and answers its "sign out?" page
    with yes; returns where the provider sends the browser back to."""
    page = browser.get(url, allow_redirects=False, timeout=10)
    form = re.search(
        r'<form id="op.logoutForm" method="post" action="([^"]+)">.*?name="xsrf" value="([^"]+)"', page.text
    )
    assert form, f"No logout confirmation at the provider: {page.status_code} {page.text}"
    done = browser.post(
        urljoin(url, unescape(form.group(1))),
        data={"xsrf": form.group(2), "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    assert done.is_redirect, done.text
    return done.headers["Location"]
