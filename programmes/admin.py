from django.contrib import admin

from programmes.models import Offer, Programme, Theme


class OfferInline(admin.StackedInline):
    model = Offer
    extra = 0
    autocomplete_fields = ["mentors", "partner_organization"]
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "status", "territory", "start_date", "end_date"]
    list_filter = ["status", "organization", "start_date"]
    search_fields = ["title", "description", "territory", "organization__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["organization", "coordinators", "partner_organizations"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    list_select_related = ["organization"]
    inlines = [OfferInline]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "kind", "mode", "duration_minutes", "capacity"]
    list_filter = ["kind", "mode", "channel_in_person", "channel_phone", "channel_video"]
    search_fields = ["title", "description", "programme__title"]
    autocomplete_fields = ["programme", "mentors", "partner_organization"]
    readonly_fields = ["public_id", "created_at"]
    list_select_related = ["programme"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "is_active"]
    list_filter = ["is_active", "organization"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["organization", "mentors", "partners"]
    list_select_related = ["organization"]
