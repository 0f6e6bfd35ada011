"""Signing in through the real form in Chromium, for each demo account."""

from __future__ import annotations

import pytest

from dashboard.access import auth
from tests.browser.conftest import screenshot, wait_for_app
from tests.streamlit_messages import sent_message

DEEP_LINK = "/referrals?period=Quarter&quarter=2025/26+Q2"
OTHER_DEMO_SITES = ("Wigan", "Southampton", "Cumberland", "Bristol", "Plymouth")
COOKIE = "fbs_dashboard_demo"


def wait_for_cookie(page, stored: bool) -> None:
    """The cookie component writes and removes the sign-in cookie after the page has drawn."""
    present = f"document.cookie.split('; ').some(c => c.startsWith('{COOKIE}='))"
    page.wait_for_function(present if stored else f"!({present})", timeout=15_000)


def sign_in(page, username: str, password: str = "fbs-demo", *, succeeds: bool = True) -> None:
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if succeeds:
        # The app moves on once the browser has stored the sign-in cookie.
        page.get_by_role("button", name="Sign in").wait_for(state="detached", timeout=30_000)
    wait_for_app(page)


@pytest.mark.parametrize("username", ["leader", "trustee", "commissioner"])
def test_sign_in_keeps_the_bookmarked_page_and_survives_a_reload(dashboard_url, page, username):
    page.goto(dashboard_url + DEEP_LINK)
    wait_for_app(page)
    assert page.get_by_role("button", name="Sign in").is_visible()
    sign_in(page, username)
    heading = page.get_by_role("heading", name="Referral sources")
    assert heading.is_visible(), f"{username} did not land on the bookmarked page"
    assert page.get_by_text("2025/26 Q2 (Jul–Sep 2025)").first.is_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, f"sign-in-{username}-referrals")

    wait_for_cookie(page, stored=True)
    page.reload()
    wait_for_app(page)
    assert page.get_by_role("heading", name="Referral sources").is_visible(), "a reload lost the page"
    assert "quarter=2025" in page.url


def sign_in_and_out(page, dashboard_url: str, username: str) -> str:
    """Sign in, and out once the browser has the cookie: the cookie's value as it was stored."""
    page.goto(dashboard_url)
    wait_for_app(page)
    sign_in(page, username)
    wait_for_cookie(page, stored=True)
    [cookie] = [c for c in page.context.cookies() if c["name"] == COOKIE]
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    return cookie["value"]


def assert_asked_to_sign_in(page, dashboard_url: str) -> None:
    page.goto(dashboard_url + "/referrals")
    wait_for_app(page)
    assert page.get_by_role("button", name="Sign in").is_visible()
    assert page.get_by_role("heading", name="Referral sources").count() == 0


def test_signing_out_removes_the_cookie_so_a_new_tab_asks_to_sign_in(dashboard_url, page):
    sign_in_and_out(page, dashboard_url, "leader")
    wait_for_cookie(page, stored=False)
    other = page.context.new_page()
    assert_asked_to_sign_in(other, dashboard_url)
    other.close()


def test_a_cookie_from_before_signing_out_no_longer_signs_in(dashboard_url, page, browser):
    # Copied before signing out, or left behind had the browser not removed it.
    value = sign_in_and_out(page, dashboard_url, "trustee")
    elsewhere = browser.new_context()
    elsewhere.add_cookies([{"name": COOKIE, "value": value, "url": dashboard_url}])
    assert_asked_to_sign_in(elsewhere.new_page(), dashboard_url)
    elsewhere.close()


def test_a_wrong_password_is_refused(dashboard_url, page):
    page.goto(dashboard_url)
    wait_for_app(page)
    sign_in(page, "leader", "not-the-password", succeeds=False)
    assert page.get_by_text("do not match an account").is_visible()
    assert page.get_by_role("heading", name="Overview").count() == 0


def test_the_commissioner_sees_only_their_site(dashboard_url, page):
    page.goto(dashboard_url + "/caseloads")
    wait_for_app(page)
    sign_in(page, "commissioner")
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "Site caseloads" in text
    assert not [site for site in OTHER_DEMO_SITES if site in text]
    assert "protect families' privacy" in text


def test_a_trustee_typing_a_leadership_url_is_told_it_is_not_available(dashboard_url, page):
    page.goto(dashboard_url + "/data_quality")
    wait_for_app(page)
    sign_in(page, "trustee")
    assert page.get_by_text("not available for your role").is_visible()
    screenshot(page, "trustee-data-quality-refused")


@pytest.mark.parametrize(
    "claims, key",
    [
        ({"username": "leader", "exp_date": 4102444800}, "a-key-that-is-not-the-servers-key-0123456789"),  # forged
        ({"username": "leader", "exp_date": 1700000000}, auth.DEMO_COOKIE_KEY),  # expired
        ({"username": "somebody-removed", "exp_date": 4102444800}, auth.DEMO_COOKIE_KEY),  # not a user
    ],
    ids=["forged", "expired", "unknown-user"],
)
def test_a_cookie_that_does_not_check_out_gives_no_access_and_says_so(dashboard_url, page, claims, key):
    import jwt

    token = jwt.encode(claims, key, algorithm="HS256")
    page.context.add_cookies([{"name": COOKIE, "value": token, "url": dashboard_url}])
    assert_asked_to_sign_in(page, dashboard_url)
    assert page.get_by_text("could not be checked").is_visible()


def test_nothing_reruns_the_sign_in_page_by_itself(dashboard_url, page):
    # A rerun that lands as the click's run starts makes Streamlit drop the click: the form stays,
    # filled in, with no message. The cookie manager reruns the app once it has loaded, so it is
    # drawn only while nothing is there to click (signing in or out).
    sent = []
    page.on("websocket", lambda socket: socket.on("framesent", lambda payload: sent.append(sent_message(payload))))
    page.goto(dashboard_url + "/referrals")
    wait_for_app(page)
    page.wait_for_timeout(3000)  # the cookie manager would have loaded and reported by now
    assert [said for said in sent if said.startswith("rerun")] == ["rerun[]"], sent
    sign_in(page, "leader")
    assert page.get_by_role("heading", name="Referral sources").is_visible()


def test_the_overviews_own_address_opens_the_overview_with_its_filters(dashboard_url, page):
    page.goto(dashboard_url)
    wait_for_app(page)
    sign_in(page, "leader")
    page.goto(dashboard_url + "/overview?period=Quarter&quarter=2025/26+Q2")
    wait_for_app(page)
    page.get_by_role("heading", name="Overview", exact=True).first.wait_for(timeout=30_000)
    assert "Page not found" not in page.content()
    page.wait_for_function("window.location.search.includes('quarter=2025')", timeout=15_000)
