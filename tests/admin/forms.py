"""Admin forms as a browser would post them back: shared by the tests that craft a POST
from what an admin page offers (tests/admin/test_host_scope.py, tests/admin/matrix/,
tests/networks/test_directory_facts.py)."""

import datetime


def form_data(response):
    """What the admin form of `response` would post unchanged: its fields and inlines."""
    data = {}

    def put(form, name):
        value = form[name].value()
        key = form.add_prefix(name)
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        elif isinstance(value, datetime.datetime):
            data[key] = value.strftime("%Y-%m-%d %H:%M")
        elif value is not None:
            data[key] = str(value)

    form = response.context["adminform"].form
    for name in form.fields:
        put(form, name)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value() or 0)
        data[management.add_prefix("TOTAL_FORMS")] = str(len(formset.initial_forms))
        for inline_form in formset.initial_forms:
            for name in inline_form.fields:
                put(inline_form, name)
    return data
