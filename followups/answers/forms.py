from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SavedReply


class SavedReplyForm(forms.ModelForm):
    class Meta:
        model = SavedReply
        fields = ["title", "body_ko", "body_en", "tags", "shared"]
        widgets = {"body_ko": forms.Textarea(attrs={"rows": 6}), "body_en": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "body_ko": _(
                "Placeholders: {contact_name}, {client_name}, {my_name}, {owner_name}, {due_time}, {portal_link}."
            ),
        }
