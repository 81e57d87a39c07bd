from django.contrib import admin

from partners.models import Referral


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["beneficiary", "partner", "status", "sent_on", "answered_on"]
    list_filter = ["status", "referring_organization"]
    search_fields = ["beneficiary__name", "partner__name", "reason"]
    autocomplete_fields = ["beneficiary", "partner", "referring_organization", "programme"]
    readonly_fields = ["public_id", "created_at"]
    list_select_related = ["beneficiary", "partner"]
    date_hierarchy = "sent_on"
