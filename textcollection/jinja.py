"""The Jinja2 environment for the TextCollection body (settings.TEMPLATES "jinja2")."""

from __future__ import annotations

from typing import Any

import jinja2
from django.utils.formats import localize


def environment(**options: Any) -> jinja2.Environment:
    # Always escape, whatever OPTIONS say: field titles and answers are user input.
    options.pop("autoescape", None)
    env = jinja2.Environment(autoescape=True, **options)
    # Numbers as the Django template language prints them (0.00001, not 1e-05):
    # min/max/step appear in attributes and in the "From … to …" hint.
    env.filters["number"] = localize
    return env
