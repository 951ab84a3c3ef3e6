"""Production static files: hashed names (cached for a year by browsers and proxies) and pre-compressed copies.

Django's manifest storage rewrites every ``sourceMappingURL`` comment to the hashed name of the map it points at,
and stops ``collectstatic`` when the map is missing. The vendored libraries (``static/vendor``) are the npm
packages' minified files, kept byte for byte as published, and name maps we do not ship (a browser asks for them
only while its developer tools are open). :class:`ManifestStorage` rewrites ``url()`` and ``@import`` references as
Django does and leaves source-map comments alone.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    kept = []
    for extension, rules in patterns:
        rules = tuple(rule for rule in rules if "sourceMappingURL" not in (rule if isinstance(rule, str) else rule[0]))
        if rules:
            kept.append((extension, rules))
    return tuple(kept)


class ManifestStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's compressed manifest storage without source-map rewriting."""

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
