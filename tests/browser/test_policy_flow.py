"""A policy end to end in a real browser (Chromium driven by Playwright): submitted with
a PDF, the secretariat asks for more information, the submitter answers through the
emailed link, the secretariat accepts it, and it is in the library with its download."""

import re

import pytest
from django.core import mail

from networks.policies.models import Policy
from tests.browser.test_involvement_flows import link, secretariat_page
from tests.policies.conftest import PDF

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_policy_with_a_pdf_is_asked_about_resubmitted_accepted_and_listed(
    live_server, browser, settings
):
    settings.SITE_URL = live_server.url
    url = live_server.url
    visitor = browser.new_page()
    visitor.set_default_timeout(15_000)
    visitor.goto(f"{url}/get-involved/")
    visitor.get_by_role("link", name="Submit a policy").first.click()
    visitor.get_by_label("Title", exact=True).fill("Open data by default in Medellín")
    visitor.get_by_label("Kind of policy").select_option("regulation")
    visitor.get_by_label("Summary").fill("Every data set is open unless the law says otherwise.")
    visitor.get_by_label("Adopted on").fill("2021-03-04")
    visitor.get_by_label("Language of the policy").select_option("es")
    visitor.get_by_label(re.compile("Who adopted it")).fill("Alcaldía de Medellín")
    visitor.get_by_label("Country").select_option("CO")
    visitor.get_by_label("Interoperability and openness").check()
    visitor.get_by_label("Open data", exact=True).check()
    visitor.get_by_label("PDF of the policy").set_input_files(
        {"name": "decree.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    visitor.get_by_label("Submitter name").fill("Lucía Pérez")
    visitor.get_by_label("Submitter email").fill("lucia@medellin.example.org")
    visitor.get_by_label(re.compile("privacy notice")).check()
    visitor.get_by_role("button", name="Submit the policy").click()
    visitor.wait_for_url(re.compile(r"/policies/submit/sent/$"))
    policy = Policy.objects.get()
    assert policy.pdf and policy.status == "submitted"

    admin = secretariat_page(browser, url)
    admin.goto(f"{url}/admin/networks/policy/{policy.pk}/change/")
    admin.locator('select[name="decision"]').select_option("more-info")
    admin.locator('textarea[name="decision_note"]').fill("Which article makes data open?")
    admin.locator('input[name="_save"]').click()
    admin.wait_for_url(re.compile(r"/admin/networks/policy/$"))

    question = mail.outbox[-1]
    assert "Which article makes data open?" in question.body
    visitor.goto(link(question, "/policies/edit/"))
    assert visitor.get_by_text("Which article makes data open?").first.is_visible()
    visitor.get_by_label("Summary").fill("Article 3: every data set is open.")
    visitor.get_by_role("button", name="Send the policy again").click()
    visitor.wait_for_url(re.compile(r"/policies/submit/sent/$"))

    admin.goto(f"{url}/admin/networks/policy/")
    admin.locator('input[name="_selected_action"]').first.check()
    admin.locator('select[name="action"]').select_option("accept")
    admin.get_by_role("button", name="Go").click()
    admin.wait_for_load_state()
    assert "in the policy library" in mail.outbox[-1].subject

    visitor.goto(f"{url}/policies/?q=medellin")
    visitor.get_by_role("link", name="Open data by default in Medellín").click()
    assert visitor.get_by_text("Article 3: every data set is open.").first.is_visible()
    download = visitor.get_by_role("link", name="Download the PDF")
    assert download.get_attribute("href") == f"/policies/{policy.pk}/policy.pdf"
    with visitor.expect_download() as started:
        download.click()
    assert started.value.suggested_filename == f"policy-{policy.pk}.pdf"
