"""Markdown that people write renders as formatting, never as live HTML or script."""

import pytest

from common.markdown import markdown_render


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<svg onload=alert(1)>",
    ],
)
def test_dangerous_markup_renders_inert(source):
    html = markdown_render(source).lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html and "onload" not in html
    assert "<iframe" not in html and "<svg" not in html and "style=" not in html


def test_ordinary_markdown_keeps_its_formatting_and_safe_links():
    html = markdown_render("**Bold** and _em_\n\n- one\n- two\n\n[docs](https://example.com/docs)")
    assert "<strong>Bold</strong>" in html and "<em>em</em>" in html
    assert "<li>one</li>" in html
    assert '<a href="https://example.com/docs" rel="nofollow noopener noreferrer">docs</a>' in html


def test_a_pasted_address_becomes_a_link_but_markdown_links_stay_as_written():
    html = markdown_render("See https://example.com/a?b=1. And [the wiki](https://wiki.example.com).")
    assert '<a href="https://example.com/a?b=1" rel="nofollow noopener noreferrer">' in html
    assert "https://example.com/a?b=1</a>." in html
    assert '<a href="https://wiki.example.com" rel="nofollow noopener noreferrer">the wiki</a>' in html


def test_a_new_line_in_a_post_is_a_new_line_on_screen():
    html = markdown_render("Thanks all!\nSee you Friday")
    assert html == "<p>Thanks all!<br>\nSee you Friday</p>\n"


def test_code_keeps_angle_brackets_as_text():
    html = markdown_render("Use `<div hidden>` here\n\n```\nif a < b && c > d:\n```")
    assert "<code>&lt;div hidden&gt;</code>" in html
    assert "if a &lt; b &amp;&amp; c &gt; d:" in html
