from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Article, ArticleCategory


class ArticleForm(forms.ModelForm):
    new_category = forms.CharField(
        label=_("or a new category"), max_length=100, required=False, help_text=_("Leave empty to keep the one chosen.")
    )
    # The version the writer started from (an edit from an older one is refused, nothing lost).
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = ["title", "body", "category", "tags"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ArticleCategory.objects.order_by("name")
        self.fields["body"].help_text = _(
            "Markdown: **bold**, *italic*, lists, links, tables. Never write passwords or other secrets here: "
            "every colleague reads this and every version is kept."
        )
        if self.instance.pk and not self.is_bound:
            self.initial["base_version"] = self.instance.version
