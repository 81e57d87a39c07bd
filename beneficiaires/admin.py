from django.contrib import admin

from beneficiaires.models import Beneficiary, BeneficiaryMerge, Consent, ContactLog, Enrollment


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    autocomplete_fields = ["recorded_by"]


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    autocomplete_fields = ["offer", "referent_mentor", "created_by"]
    fk_name = "beneficiary"


@admin.register(Beneficiary)
class BeneficiaryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "situation", "stage", "priority", "organization", "postal_code"]
    list_filter = ["kind", "situation", "stage", "priority", "source", "organization"]
    search_fields = ["name", "contact_name", "email", "phone", "postal_code", "territory"]
    autocomplete_fields = ["organization", "user", "created_by", "programme"]
    readonly_fields = ["public_id", "created_at", "updated_at", "stage_changed_at"]
    list_select_related = ["organization"]
    inlines = [ConsentInline, EnrollmentInline]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["beneficiary", "offer", "referent_mentor", "status", "started_on", "ended_on"]
    list_filter = ["status", "offer__kind", "offer__programme"]
    search_fields = ["beneficiary__name", "offer__title", "referent_mentor__email"]
    autocomplete_fields = ["beneficiary", "offer", "referent_mentor", "created_by"]
    readonly_fields = ["public_id", "created_at"]
    list_select_related = ["beneficiary", "offer", "referent_mentor"]
    date_hierarchy = "started_on"


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["beneficiary", "purpose", "given_at", "withdrawn_at", "recorded_by"]
    list_filter = ["purpose"]
    search_fields = ["beneficiary__name"]
    autocomplete_fields = ["beneficiary", "recorded_by"]
    list_select_related = ["beneficiary", "recorded_by"]


@admin.register(ContactLog)
class ContactLogAdmin(admin.ModelAdmin):
    list_display = ["beneficiary", "contacted_at", "channel", "author"]
    list_filter = ["channel"]
    search_fields = ["beneficiary__name", "outcome"]
    autocomplete_fields = ["beneficiary", "author"]
    list_select_related = ["beneficiary", "author"]
    date_hierarchy = "contacted_at"


@admin.register(BeneficiaryMerge)
class BeneficiaryMergeAdmin(admin.ModelAdmin):
    list_display = ["merged_name", "kept", "merged_by", "merged_at"]
    search_fields = ["merged_name", "kept__name"]
    readonly_fields = [f.name for f in BeneficiaryMerge._meta.fields]
    list_select_related = ["kept", "merged_by"]
