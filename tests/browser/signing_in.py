"""Signing a demo persona in through the login page, the way a person does (shared by the browser tests)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

PASSWORD = "TinCay@2026"


def login(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    """Sign in as ``username`` from a clean session; done once the page has left the login form (on a phone the
    menu holding "Đăng xuất" is folded, so the address is what is checked)."""
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
