"""An admin site with ProfileAdmin hooked to the HR import exactly as profiles/admin.py should do it."""

from django.contrib import admin
from django.urls import path

from profiles.admin import ImportRunAdmin, ProfileAdmin, UserAdmin
from profiles.admin_import import hr_import_urls
from profiles.models import ImportRun, Profile, User

site = admin.AdminSite(name="admin")


class HookedProfileAdmin(ProfileAdmin):
    def get_urls(self):
        return hr_import_urls(self) + super().get_urls()


site.register(Profile, HookedProfileAdmin)
site.register(User, UserAdmin)
site.register(ImportRun, ImportRunAdmin)

urlpatterns = [path("admin/", site.urls)]
