"""Spreadsheet imports in the admin: upload, preview, confirm, follow, cancel (issue #19).

The add page is the upload form; the job's own page (its change page) shows the
preview, the progress while a task reads or imports the file (a meta refresh: no
JavaScript needed, and a reload shows where it is), and the outcome; it takes the
confirmation and the cancel as POSTs, and `?refusals=csv` downloads every refusal.
Who may do what is networks.access (import_error, import_jobs): cities are the
secretariat's, memberships also a host's for its own networks, checked row by row.
"""

import os

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.roles import has_staff_powers, sees_all_networks
from alliance.spreadsheets import FORMAT_HELP
from networks import access
from networks.imports import run, watch
from networks.models import ImportJob

MAX_BYTES = 200 * 1024 * 1024  # far above 200,000 rows of CSV
REFRESH_SECONDS = 2


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"), choices=ImportJob.Kind.choices
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A CSV file or an Excel workbook (.xlsx)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kind"].choices = [
            (value, label)
            for value, label in ImportJob.Kind.choices
            if access.import_error(user, value) is None
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB: split it into smaller files.")
                % {"mb": MAX_BYTES // (1024 * 1024)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "rows", "new", "changed", "refused", "created_by"]
    list_filter = ["kind", "state"]
    list_select_related = ["created_by"]
    actions = []

    def get_queryset(self, request):
        return access.import_jobs(request.user).select_related("created_by")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        user = request.user
        return has_staff_powers(user) and (
            sees_all_networks(user) or access.manages_any_network(user)
        )

    def has_add_permission(self, request):
        return access.import_error(request.user, ImportJob.Kind.MEMBERSHIPS) is None

    def has_change_permission(self, request, obj=None):
        kind = obj.kind if obj is not None else ImportJob.Kind.MEMBERSHIPS
        return access.import_error(request.user, kind) is None

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.running:
            return False
        return access.import_error(request.user, ImportJob.Kind.CITIES) is None

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {"kind": request.GET.get("kind")} if request.method == "GET" else None
        form = UploadForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            user=request.user,
            initial=initial,
        )
        if request.method == "POST" and form.is_valid():
            job = self._create(request, form)
            return HttpResponseRedirect(reverse("admin:networks_importjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import a spreadsheet"),
            "form": form,
            "format_help": FORMAT_HELP,
        }
        return TemplateResponse(request, "admin/networks/importjob/upload.html", context)

    @transaction.atomic
    def _create(self, request, form) -> ImportJob:
        from networks.tasks import import_preview

        upload = form.cleaned_data["file"]
        job = ImportJob(
            kind=form.cleaned_data["kind"],
            created_by=request.user,
            file_name=os.path.basename(upload.name)[:255],
        )
        job.file.save(f"import-{request.user.pk}.dat", upload, save=False)
        job.save()
        if not sees_all_networks(request.user):
            job.networks.set(access.managed_networks(request.user))
        transaction.on_commit(lambda: import_preview.delay(job.pk))
        return job

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        if job is None:
            raise Http404
        if request.method == "POST":
            return self._act(request, job)
        if request.GET.get("refusals") == "csv":
            return self._refusals(job)
        # The admin's link from a filtered list carries the list's filters, to return
        # to it; this page reads nothing else from its query.
        if set(request.GET) - {"_changelist_filters"}:
            raise Http404
        if job.running and watch.fail_stalled(ImportJob.objects.filter(pk=job.pk)):
            job.refresh_from_db()  # its worker died: the page says so without the beat
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": job,
            "title": str(job),
            "job": job,
            "progress": run.progress(job),
            "refresh": REFRESH_SECONDS if job.running else None,
            "can_change": self.has_change_permission(request, job),
            "samples": [
                (kind, label, job.samples.get(kind, []))
                for kind, label in (
                    ("new", _("New")),
                    ("changed", _("Changed")),
                    ("unchanged", _("Unchanged")),
                )
            ],
            "more_refusals": job.refused > len(job.samples.get("refused", [])),
        }
        return TemplateResponse(request, "admin/networks/importjob/job.html", context)

    def _act(self, request, job):
        if not self.has_change_permission(request, job):
            raise PermissionDenied
        # The page's buttons post confirm=1 or cancel=1; action= is the same, by name.
        action = request.POST.get("action") or next(
            (name for name in ("confirm", "cancel") if name in request.POST), None
        )
        back = HttpResponseRedirect(reverse("admin:networks_importjob_change", args=[job.pk]))
        if action == "confirm":
            refused = run.confirm(job, valid_only=request.POST.get("valid_only") == "on")
            if refused:
                self.message_user(request, refused, messages.ERROR)
            else:
                self.message_user(request, _("The import has started."), messages.SUCCESS)
            return back
        if action == "cancel":
            outcome = run.cancel(job)
            if outcome == "cancelled":
                said = _("The import is cancelled: nothing is written.")
            elif outcome == "stopping":
                said = _(
                    "The import stops at its next batch and writes nothing. If it was "
                    "already finishing, this page shows what was imported."
                )
            else:
                said = _("This import had already ended: nothing was cancelled.")
            self.message_user(request, said, messages.SUCCESS if outcome else messages.WARNING)
            return back
        return HttpResponse(_("Unknown action."), status=400, content_type="text/plain")

    def _refusals(self, job):
        # Each reason starts with a column's name or a sentence, never with a formula.
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="refusals-{job.pk}.csv"'
        response.write("\N{BYTE ORDER MARK}" + job.refusals_csv())
        return response
