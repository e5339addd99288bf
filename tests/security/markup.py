"""An HTML audit for injection tests: parse a page as a browser would and list what could run.

Substring checks are easy to fool (an escaped `&lt;script&gt;` contains "script"); this walks the
parsed tree instead, so a finding is an element or attribute that really exists in the document.
"""

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Attributes a browser follows or fetches: a javascript:/data:/vbscript: value in one runs code.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "data",
                  "hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete", "ping", "srcset"}  # fmt: skip
# Elements Hive's templates never use: if one is in a page, user input put it there.
FOREIGN_ELEMENTS = {"svg", "math", "iframe", "frame", "object", "embed", "base", "applet", "marquee"}
# The only inline handlers Hive writes: a confirmation before deleting.
_CONFIRM_HANDLER = re.compile(r"return confirm\('[^'<>\\]*'\)")
_DANGEROUS_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
# Browsers drop ASCII whitespace and control characters inside a URL's scheme ("java\tscript:").
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")


@dataclass
class Page:
    findings: list[str] = field(default_factory=list)
    text: str = ""  # every text node, unescaped and joined: what a reader sees
    attribute_values: list[str] = field(default_factory=list)

    def shows(self, value: str) -> bool:
        """`value` is in the page as data: in a text node or an attribute value, never as markup."""
        return value in self.text or any(value in v for v in self.attribute_values)


class _Auditor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._text: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag == "script":
            self._script = dict(attrs)
            self._script["__body"] = []

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self._script_check(self._script, "".join(self._script.pop("__body")))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script["__body"].append(data)
        else:
            self._text.append(data)

    def _check(self, tag, attrs):
        found = self.page.findings
        if tag in FOREIGN_ELEMENTS:
            found.append(f"<{tag}> element")
        for name, value in attrs:
            value = value or ""
            self.page.attribute_values.append(value)
            if name.startswith("on") and not _CONFIRM_HANDLER.fullmatch(value):
                found.append(f"<{tag} {name}={value!r}> event handler")
            elif name.startswith("hx-on") or (name in {"hx-vals", "hx-vars"} and "js:" in value):
                found.append(f"<{tag} {name}={value!r}> htmx handler")
            elif re.search(r"[^a-z0-9_:.-]", name):
                found.append(f"<{tag}> has an attribute named {name!r}: markup broke out of a value")
            elif name in URL_ATTRIBUTES and _DANGEROUS_SCHEME.match(_URL_NOISE.sub("", value)):
                found.append(f"<{tag} {name}={value!r}> script URL")
            elif name == "style" and re.search(r"expression\(|url\(\s*['\"]?\s*javascript:", value, re.I):
                found.append(f"<{tag} style={value!r}> script in CSS")
        if tag == "img":
            src = dict(attrs).get("src") or ""
            # cid: an image carried in the email itself (the weekly report's charts), never fetched.
            if not src.startswith("/") and not re.fullmatch(r"cid:[a-z][a-z-]*", src):
                found.append(f"<img src={src!r}> not served by Hive")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")

    def _script_check(self, attrs: dict, body: str):
        kind = (attrs.get("type") or "").lower()
        if kind == "application/json":  # json_script: data, as long as it is still valid JSON
            try:
                json.loads(body)
            except ValueError:
                self.page.findings.append(f"<script type=application/json> that is not JSON: {body[:80]!r}")
        elif not (attrs.get("src") or "").startswith("/static/"):
            self.page.findings.append(f"<script> not from /static/: src={attrs.get('src')!r} {body[:80]!r}")

    def close(self):
        super().close()
        if self._script is not None:  # an unclosed <script> swallowed the rest of the page
            self.page.findings.append("unclosed <script>")
        self.page.text = "".join(self._text)


def audit(html: str) -> Page:
    """Parse `html` and return what it shows and anything in it that could run script."""
    auditor = _Auditor()
    auditor.feed(html)
    auditor.close()
    return auditor.page
