"""The test SAML IdP (tests/accounts/saml_idp.py) as a small server on loopback, to try Hive's SAML
sign-in and single logout by hand with `make run` (README: "Trying single sign-on on this machine").

    .venv/bin/python tests/accounts/saml_idp_server.py --port 9100 --cert-out /tmp/idp.pem

It signs people in as whoever is typed into its form (a persistent NameID derived from the address),
answers Hive's LogoutRequest, and at /logout-everywhere sends Hive its own LogoutRequest. It checks
nothing about who you are: it is for trying Hive, never for real use.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import re
import sys
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.accounts.saml_idp import SamlIdp  # noqa: E402

IDP = SamlIdp.create()
STATE: dict[str, str] = {}  # the last person signed in here, for /logout-everywhere


def subject_of(email: str) -> str:
    return "idp-" + hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def page(body: str) -> bytes:
    return f"<!doctype html><meta charset=utf-8><title>Test SAML IdP</title>{body}".encode()


class Handler(BaseHTTPRequestHandler):
    hive = "http://127.0.0.1:8000"
    organization = "company"

    def _send(self, status: int, body: bytes = b"", location: str = "") -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = parse_qs(url.query)
        base = f"{self.hive}/accounts/saml/{self.organization}"
        if url.path == "/sso":
            request_id, acs, relay = SamlIdp.request_of(self.path)
            form = (
                f"<h1>Test IdP: who are you?</h1><form method=post action=/sso>"
                f"<input type=hidden name=request_id value='{html.escape(request_id)}'>"
                f"<input type=hidden name=acs value='{html.escape(acs)}'>"
                f"<input type=hidden name=relay value='{html.escape(relay)}'>"
                f"<label>Email <input name=email value='demo@example.com'></label> "
                f"<label>Name <input name=name value='Demo Person'></label> "
                f"<label><input type=checkbox name=verified checked> email verified</label> "
                f"<button>Sign in</button></form>"
            )
            self._send(200, page(form))
        elif url.path == "/slo" and "SAMLRequest" in query:  # Hive's LogoutRequest: say yes
            xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15).decode()
            request_id = re.search(r'ID="([^"]+)"', xml).group(1)
            params = IDP.logout_response(
                in_response_to=request_id,
                destination=f"{base}/sls/",
                relay_state=query.get("RelayState", [None])[0],
            )
            STATE.clear()
            self._send(302, location=f"{base}/sls/?{urlencode(params)}")
        elif url.path == "/slo":  # Hive's answer to our LogoutRequest
            self._send(200, page("<p>Hive answered the sign-out. <a href=/logout-everywhere>again</a></p>"))
        elif url.path == "/logout-everywhere" and STATE.get("subject"):
            params = IDP.logout_request(name_id=STATE["subject"], destination=f"{base}/sls/")
            self._send(302, location=f"{base}/sls/?{urlencode(params)}")
        else:
            self._send(404, page("<p>Nothing here. Hive sends you to /sso.</p>"))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        email = form.get("email", "").strip()
        STATE["subject"] = subject_of(email)
        attributes = {"email": email, "displayName": form.get("name", "")}
        attributes["email_verified"] = "true" if form.get("verified") else "false"
        audience = f"{self.hive}/accounts/saml/{self.organization}/metadata/"
        response = IDP.response(
            request_id=form["request_id"], acs=form["acs"], audience=audience,
            subject=STATE["subject"], attributes=attributes,
        )  # fmt: skip
        post = (
            f"<form method=post action='{html.escape(form['acs'])}' id=f>"
            f"<input type=hidden name=SAMLResponse value='{response}'>"
            f"<input type=hidden name=RelayState value='{html.escape(form.get('relay', ''))}'>"
            f"<noscript><button>Continue to Hive</button></noscript></form>"
            f"<script>document.getElementById('f').submit()</script>"
        )
        self._send(200, page(post))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--hive", default="http://127.0.0.1:8000")
    parser.add_argument(
        "--cert-out", default="/tmp/hive-test-idp.pem", help="where to write the IdP certificate"
    )
    args = parser.parse_args()
    Handler.hive = args.hive.rstrip("/")
    Path(args.cert_out).write_text(IDP.cert)
    print(f"Test SAML IdP on http://127.0.0.1:{args.port}; its certificate is in {args.cert_out}")
    HTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
