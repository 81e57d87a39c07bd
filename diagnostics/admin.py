from django.contrib import admin

from diagnostics.models import DiagnosticInvitation, Need, NeedsDiagnostic


class NeedInline(admin.TabularInline):
    model = Need
    extra = 0
    autocomplete_fields = ["theme"]


@admin.register(NeedsDiagnostic)
class NeedsDiagnosticAdmin(admin.ModelAdmin):
    list_display = ["beneficiary", "method", "held_on", "conducted_by", "status"]
    list_filter = ["method", "status"]
    search_fields = ["beneficiary__name", "expectations"]
    autocomplete_fields = ["beneficiary", "conducted_by"]
    readonly_fields = ["public_id", "created_at", "completed_at"]
    list_select_related = ["beneficiary", "conducted_by"]
    date_hierarchy = "held_on"
    inlines = [NeedInline]


@admin.register(DiagnosticInvitation)
class DiagnosticInvitationAdmin(admin.ModelAdmin):
    list_display = ["diagnostic", "sent_to", "expires_at", "answered_at", "created_by"]
    search_fields = ["diagnostic__beneficiary__name", "sent_to"]
    readonly_fields = ["token_hash", "created_at"]
    list_select_related = ["diagnostic__beneficiary", "created_by"]
