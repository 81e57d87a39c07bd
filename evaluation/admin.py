"""Admin of the evaluation app: questionnaires and their questions, read-only.

Questionnaires are built on the site, through the services that guard answered ones; the admin
is for looking."""

from django.contrib import admin

from evaluation.models import Question, Questionnaire


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "code", "kind", "label", "choices", "required", "per_need"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "programme", "purpose", "send_moment", "is_active"]
    list_filter = ["purpose", "send_moment", "is_active"]
    search_fields = ["title", "programme__title", "organization__name", "default_key"]
    list_select_related = ["organization", "programme"]
    readonly_fields = [
        "public_id",
        "organization",
        "programme",
        "title",
        "introduction",
        "purpose",
        "send_moment",
        "is_active",
        "copied_from",
        "default_key",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [QuestionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Viewing only: the change form is shown read-only.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
