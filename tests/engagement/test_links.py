"""Every link a page draws opens for the person it is drawn for: signed in as each
role of the demo, a breadth-first walk from the home page follows every same-site
``<a href>`` (bounded) and meets no 403, no 404 and no 5xx. Links are drawn only after
the access rules (engagement/access.py) said yes."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from tests.factories import DEMO_ROLES

MAX_PAGES = 150
MAX_VARIANTS = 2  # of one path with different query strings (sorting, paging)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _same_site(base: str, href: str) -> str | None:
    url, _ = urldefrag(urljoin(base, href))
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, start: str = "/") -> tuple[dict[str, int], list[str]]:
    """Visit pages breadth-first; return each visited URL's status and the failures."""
    seen: dict[str, int] = {}
    variants: dict[str, int] = {}
    queue = deque([(start, "(start)")])
    failures = []
    while queue and len(seen) < MAX_PAGES:
        url, linked_from = queue.popleft()
        path = urlsplit(url).path
        if url in seen or variants.get(path, 0) >= MAX_VARIANTS:
            continue
        variants[path] = variants.get(path, 0) + 1
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code in (403, 404) or response.status_code >= 500:
            failures.append(f"{url} -> {response.status_code} (linked from {linked_from})")
            continue
        if response.status_code in (301, 302):
            target = _same_site(url, response["Location"])
            if target:
                queue.append((target, url))
            continue
        # Django's admin draws its own links; only the way into it is checked.
        if path.startswith("/admin/") or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            target = _same_site(url, href)
            if target and target not in seen:
                queue.append((target, url))
    return seen, failures


def test_every_link_opens_for_each_role(client, demo_site):
    failures = []
    for role in DEMO_ROLES:
        client.force_login(demo_site[role])
        seen, failed = crawl(client)
        assert len(seen) > 10, role  # the walk did go somewhere
        failures += [f"{role}: {failure}" for failure in failed]
    assert failures == [], "\n".join(failures)
