import pytest

from tests.conftest import GRID_A, GRID_B
from tests.e2e.conftest import sign_in
from tests.idnumbers import rid

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_grid_worker_opens_own_person_and_is_refused_another(
    live_server, phone, make_user, make_person
):
    make_user("grid_worker", GRID_A, username="gw")
    own = make_person(
        "王秀英", node_code=GRID_A, id_number=rid("330602", "1950-03-08"), phone="13812345678"
    )
    other = make_person("李明", node_code=GRID_B)

    sign_in(phone, live_server.url, "gw")
    phone.goto(f"{live_server.url}/people/")
    assert phone.locator("text=王秀英").is_visible()
    assert phone.locator("text=李明").count() == 0
    phone.click("text=王秀英")
    assert phone.locator("#f-phone").inner_text().startswith("138****5678")
    phone.click("#f-phone button")
    phone.wait_for_selector("#f-phone .revealed")
    assert phone.locator("#f-phone").inner_text() == "13812345678"
    # The page fits a 375-px phone: no horizontal scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    response = phone.goto(f"{live_server.url}/people/{other.pk}/")
    assert response.status == 404
    assert own.pk != other.pk


def test_search_by_phone_keeps_the_number_out_of_the_address(
    live_server, phone, make_user, make_person
):
    """Issue #16 item 3: the search box posts; the address bar gets a search handle."""
    make_user("grid_worker", GRID_A, username="gw2")
    make_person("王秀英", node_code=GRID_A, phone="13812345678")
    make_person("张伟", node_code=GRID_A)
    sign_in(phone, live_server.url, "gw2")
    phone.goto(f"{live_server.url}/people/")
    phone.fill("#q", "13812345678")
    phone.press("#q", "Enter")
    phone.wait_for_function("() => !document.body.innerText.includes('张伟')")
    assert phone.locator("text=王秀英").is_visible()
    assert "13812345678" not in phone.url and "s=" in phone.url
    phone.reload()  # the handle in the address finds the same person again
    assert phone.locator("text=王秀英").is_visible() and phone.locator("text=张伟").count() == 0
