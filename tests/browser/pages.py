"""Helpers the browser tests share: watching a page, signing in."""

from urllib.parse import urlparse


class PageWatch:
    """Collects console errors and requests to any host but the live server."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.failed_requests: list[str] = []
        own = urlparse(base_url).netloc
        page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.on(
            "request",
            lambda request: (
                self.foreign_requests.append(request.url)
                if urlparse(request.url).netloc not in {own, ""}
                and not request.url.startswith(("data:", "about:"))
                else None
            ),
        )
        page.on(
            "response",
            lambda response: (
                self.failed_requests.append(f"{response.status} {response.url}")
                if response.status >= 400
                else None
            ),
        )

    def assert_clean(self):
        assert self.console_errors == []
        assert self.foreign_requests == []
        assert self.failed_requests == []


def sign_in(page, username: str, password: str = "demo") -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
