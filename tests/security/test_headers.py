"""Defence in depth: security headers on every kind of response, the admin
working under its CSP in Chromium, and `manage.py check --deploy` clean with
production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

from labeling.middleware import ADMIN_CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY

ROOT = Path(__file__).resolve().parents[2]


def _directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


@pytest.mark.parametrize("policy", [CONTENT_SECURITY_POLICY, ADMIN_CONTENT_SECURITY_POLICY])
def test_policy_has_no_inline_script_and_no_eval(policy):
    directives = _directives(policy)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["frame-src"] == ["https:"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "data:" not in directives["default-src"]


def _assert_headers(response, policy=CONTENT_SECURITY_POLICY):
    assert response["Content-Security-Policy"] == policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_headers_on_pages_api_errors_and_redirects(client, worker, api):
    _assert_headers(client.get("/accounts/login/"))
    _assert_headers(client.get("/"))  # redirect to login
    _assert_headers(client.get("/admin/login/"), ADMIN_CONTENT_SECURITY_POLICY)
    _assert_headers(api.get("task/nope"))  # JSON 404
    _assert_headers(client.get("/v1/task/nope"))  # JSON 401
    client.force_login(worker)
    _assert_headers(client.get("/"))
    _assert_headers(client.get("/label/does-not-exist/"))  # 404


# ---------------------------------------------------------------- admin in a browser

CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _admin_paths() -> list[str]:
    paths = ["/admin/", "/admin/password_change/"]
    for model in admin.site._registry:
        meta = model._meta
        paths.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        paths.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    return paths


@pytest.mark.browser
def test_admin_works_under_its_csp(page, live_server, login_as, admin_user, account, api_key):
    """Every admin changelist and add form (date widgets, related-object
    popups, filters, the nav sidebar) loads without a CSP violation and
    without a script error; logging in through the admin form works too."""
    from tests.conftest import make_project

    make_project(account, name="p", type="namedentityrecognition")
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    page.context.add_init_script(CSP_WATCH)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security" in m.text else None)

    page.goto("/admin/login/")
    page.fill("#id_username", admin_user.username)
    page.fill("#id_password", "pw-for-tests-123")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")

    problems = []
    for path in _admin_paths():
        response = page.goto(path)
        assert response is not None
        if response.status == 403:  # e.g. no "add" for task results: nothing to check
            continue
        if response.status >= 400:
            problems.append(f"{path}: HTTP {response.status}")
            continue
        # Exercise the widgets' scripts: the sidebar filter, calendar and clock.
        for selector in ("#nav-filter", ".datetimeshortcuts a", ".related-widget-wrapper-link"):
            loc = page.locator(selector)
            if loc.count():
                loc.first.click(force=True) if selector != "#nav-filter" else loc.first.fill("a")
        violations = page.evaluate("() => window.__cspViolations")
        problems += [f"{path}: {v}" for v in violations]
    problems += console
    problems += [f"page error: {e}" for e in page.errors]
    assert problems == []


# ---------------------------------------------------------------- check --deploy

PRODUCTION_ENV = {
    "SECRET_KEY": "x7#Lq2!vB9@wN4$eR8^tY1&uI6*oP3(aS5)dF0_gH-jK+lZ=cX%vB~nM",
    "ALLOWED_HOSTS": "labels.example.com",
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def _check_deploy(extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    # A clean environment as a deployment has it (conftest sets DJANGO_ALLOW_ASYNC_UNSAFE).
    dropped = ("PYTEST_VERSION", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_COOKIES")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    for name in PRODUCTION_ENV:
        env.pop(name, None)
    env.update(extra_env)
    env.setdefault("DATABASE_URL", "sqlite:////tmp/labelform-check-deploy.sqlite3")
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_env():
    result = _check_deploy(PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_a_development_configuration():
    """The same check fails loudly when the production variables are missing."""
    result = _check_deploy({"ALLOWED_HOSTS": "labels.example.com"})
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for code in ("security.W004", "security.W008", "security.W009"):
        assert code in output, output
