from django.contrib import admin

from stagewise.accounts.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "is_active", "preferred_language"]
    search_fields = ["email", "full_name"]
    fields = ["email", "full_name", "preferred_language", "is_active", "is_staff"]
