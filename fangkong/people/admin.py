from django.contrib import admin

from fangkong.people.models import Household, Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Read-mostly: edits go through the pages so the rules and the audit apply."""

    list_display = ("name", "id_masked", "phone_masked", "node")
    search_fields = ("name", "name_initials")
    raw_id_fields = ("node", "household", "merged_into", "created_by")
    readonly_fields = ("id_masked", "phone_masked", "doc_masked", "path", "version")
    exclude = ("id_number_enc", "phone_enc", "doc_number_enc")


admin.site.register(Household, list_display=("number", "address", "node"), raw_id_fields=("node",))
