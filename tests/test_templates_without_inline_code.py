"""No template carries what the Content-Security-Policy refuses: inline script, event-handler attributes, htmx's
eval-based handlers, javascript: URLs, <style> elements or style attributes. Behaviour lives in static scripts
(tincay/static/tincay/*.js), looks in static stylesheets; data reaches scripts through json_script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "tincay"
TEMPLATES = sorted(p for p in ROOT.glob("**/templates/**/*.html") if "static" not in p.parts)
RULES = {
    "inline <script> (use a static file)": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "<style> element (use a static stylesheet)": re.compile(r"<style[\s>]", re.IGNORECASE),
    "style attribute (use a class)": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE),
    "event-handler attribute (use addEventListener)": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "hx-on handler (needs eval)": re.compile(r"<[a-z][^>]*\shx-on", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def test_the_scan_sees_the_templates():
    names = {p.name for p in TEMPLATES}
    assert {"base.html", "_node.html", "indicator.html", "unit_results.html", "document_link.html"} <= names


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_has_no_inline_code(template):
    text = template.read_text(encoding="utf-8")
    problems = [
        f"line {text.count(chr(10), 0, m.start()) + 1}: {rule}: {m.group(0)!r}"
        for rule, pattern in RULES.items()
        for m in pattern.finditer(text)
    ]
    assert not problems, "\n".join(problems)


def test_the_rules_catch_what_they_name():
    samples = [
        "<script>alert(1)</script>",
        "<style>p{}</style>",
        '<div style="width: 5%">',
        '<button onclick="go()">',
        '<a hx-on:click="x()">',
        '<a href="javascript:void(0)">',
    ]
    for sample in samples:
        assert any(pattern.search(sample) for pattern in RULES.values()), sample
    allowed = ['<script src="/static/x.js" defer></script>', '<div class="pct-5" data-tree-toggle>', "<p>one = 1</p>"]
    for sample in allowed:
        assert not any(pattern.search(sample) for pattern in RULES.values()), sample
