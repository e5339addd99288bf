"""The admin page for importing employees from an HR export: upload a CSV, see the summary and errors.

Hooked into ProfileAdmin by `get_urls` (see hr_import_urls); the Profile changelist then shows an
"Import from HR export" button (templates/admin/profiles/profile/change_list.html).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from profiles.hr_import import (
    COLUMNS,
    MASS_DEACTIVATION_SHARE,
    REQUIRED_COLUMNS,
    HRFileError,
    employees_import,
)
from profiles.models import ImportRun

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ERRORS_SHOWN = 200


class HRImportForm(forms.Form):
    file = forms.FileField(
        label="HR export (CSV)",
        help_text=(
            f"UTF-8, comma or semicolon separated, at most {filesizeformat(MAX_UPLOAD_BYTES)}. The first row "
            f"names the columns, in any order: {', '.join(COLUMNS)} ({' and '.join(REQUIRED_COLUMNS)} "
            "required; start_date as YYYY-MM-DD). Only the columns in the file are changed."
        ),
    )
    full = forms.BooleanField(
        label="Full export",
        required=False,
        help_text="The file lists the whole company: active people missing from it are deactivated (never "
        "deleted; never superusers or you), and deactivated people in it are reactivated.",
    )
    allow_mass_deactivation = forms.BooleanField(
        label="Allow mass deactivation",
        required=False,
        help_text=f"A full export that would deactivate more than {MASS_DEACTIVATION_SHARE:.0%} of active "
        "accounts is refused unless this is ticked.",
    )
    dry_run = forms.BooleanField(
        label="Dry run",
        required=False,
        initial=True,
        help_text="Check the file and show what would change, without writing anything.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; "
                f"the limit is {filesizeformat(MAX_UPLOAD_BYTES)}. "
                "Import larger files with `manage.py import_employees`."
            )
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".txt")):
            raise forms.ValidationError("Upload a .csv file (exported from the HR system as CSV UTF-8).")
        return upload


def hr_import_view(request, *, model_admin: admin.ModelAdmin) -> TemplateResponse:
    """Staff with permission to change profiles (or superusers) upload an HR export here."""
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("profiles.change_profile")):
        raise PermissionDenied("Importing employees needs permission to change profiles.")
    report = None
    form = HRImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = employees_import(
                data=data["file"].read(),
                actor=user,
                full=data["full"],
                dry_run=data["dry_run"],
                allow_mass_deactivation=data["allow_mass_deactivation"],
                source=ImportRun.Source.ADMIN,
                file_name=data["file"].name or "",
            )
        except HRFileError as exc:
            form.add_error("file", str(exc))
        else:
            level = (
                messages.ERROR if report.refused else messages.WARNING if report.errors else messages.SUCCESS
            )
            messages.add_message(request, level, report.headline)
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import employees from an HR export",
        "opts": opts,
        "form": form,
        "report": report,
        "errors_shown": report.errors[:MAX_ERRORS_SHOWN] if report else [],
        "errors_hidden": max(0, len(report.errors) - MAX_ERRORS_SHOWN) if report else 0,
    }
    return TemplateResponse(request, "admin/profiles/import_employees.html", context)


def hr_import_urls(model_admin: admin.ModelAdmin) -> list[URLPattern]:
    """URLs to put first in ProfileAdmin.get_urls(): admin/profiles/profile/import/."""
    opts = model_admin.model._meta
    view = model_admin.admin_site.admin_view(lambda request: hr_import_view(request, model_admin=model_admin))
    return [path("import/", view, name=f"{opts.app_label}_{opts.model_name}_import")]
