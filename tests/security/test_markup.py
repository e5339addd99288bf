"""The HTML audit the injection tests rely on: it must see live markup, and not mistake text for it."""

import pytest

from tests.security.markup import audit

LIVE = {
    "script element": "<p>Hi <script>alert(1)</script></p>",
    "event handler": '<p title=""><img src=x onerror=alert(1)>"></p>',
    "svg": "<span>'><svg onload=alert(1)></span>",
    "attribute breakout": '<a href="/people/1/" aria-label="Endorse x" onmouseover="alert(1)">x</a>',
    "single-quoted breakout": "<div hx-headers='{}'-alert(1)-''>x</div>",
    "javascript href": '<a href="javascript:alert(1)">site</a>',
    "javascript href with a tab": '<a href="java&#9;script:alert(1)">site</a>',
    "data href": '<a href=" data:text/html,x">site</a>',
    "unclosed script": "<p>x</p><script>alert(1)",
    "broken json_script": '<script type="application/json">{"a": "</script><script>alert(1)</script>',
}

SAFE = {
    "escaped script": "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    "escaped attribute": '<a href="/x" aria-label="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">x</a>',
    "static script": '<script src="/static/js/mentions.js" defer></script>',
    "json_script": '<script id="d" type="application/json">{"name": "\\u003C/script\\u003E"}</script>',
    "delete confirmation": "<form onsubmit=\"return confirm('Delete this post?')\"></form>",
    "http link": '<a href="https://example.com/?q=%3Cscript%3E">site</a>',
}


@pytest.mark.parametrize("html", LIVE.values(), ids=LIVE)
def test_live_markup_is_found(html):
    assert audit(html).findings


@pytest.mark.parametrize("html", SAFE.values(), ids=SAFE)
def test_escaped_text_and_hives_own_markup_are_not_findings(html):
    assert audit(html).findings == []


def test_escaped_text_is_shown_unescaped_as_a_reader_sees_it():
    page = audit('<h1>Mallory &lt;b&gt; &amp;lt;</h1><a aria-label="&quot;x&quot;">y</a>')
    assert page.shows("Mallory <b> &lt;")
    assert page.shows('"x"')
    assert not page.shows("<b>x")
