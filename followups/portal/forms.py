from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_BODY


class PortalAskForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)


class PortalWriteForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(label=_("Message"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 4}))


class PortalReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 3}))
