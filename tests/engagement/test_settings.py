"""Production settings refuse to start insecurely; a proper configuration passes --deploy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "LOCAL_DEMO",
        }
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


GOOD_KEY = "k3Y-" + "x7Qp9LmZ2vR8wT4yB6nC1dF5gH0jK" * 2


def test_production_refuses_to_start_without_a_secret_key():
    result = _run(["check"], DEBUG="false", ALLOWED_HOSTS="rapport.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key_and_short_keys():
    for key in ("django-insecure-abc" + "x" * 60, "short"):
        result = _run(["check"], DEBUG="false", SECRET_KEY=key, ALLOWED_HOSTS="rapport.example.com")
        assert result.returncode != 0
        assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _run(["check"], DEBUG="false", SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_a_malformed_boolean_is_an_error_not_a_default():
    result = _run(["check"], DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_check_deploy_is_clean_for_a_proper_production_configuration():
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="rapport.example.com",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_redis_url_switches_the_task_broker_to_redis():
    code = "from django.conf import settings; print(sorted(settings.Q_CLUSTER))"
    with_redis = _run(["shell", "-c", code], REDIS_URL="redis://127.0.0.1:6379/0")
    without = _run(["shell", "-c", code])
    assert "'redis'" in with_redis.stdout
    assert "'orm'" not in with_redis.stdout
    assert "'orm'" in without.stdout
    assert "'redis'" not in without.stdout


def test_the_local_demo_runs_without_debug_pages_over_plain_http():
    probe = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = _run(["shell", "-c", probe], LOCAL_DEMO="true", SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == (
        "False ['127.0.0.1', 'localhost', '[::1]'] False False "
        "config.storage.DemoStaticFilesStorage"
    )


def test_the_local_demo_keeps_one_secret_key(tmp_path):
    from engagement.env import local_secret_key

    path = tmp_path / ".secret_key"
    first = local_secret_key(path)
    assert len(first) >= 50
    assert local_secret_key(path) == first
    assert path.stat().st_mode & 0o077 == 0
