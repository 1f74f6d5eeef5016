from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .alimtalk import template_variables
from .models import AlimTalkTemplate, KakaoChannel

SECRET_WIDGET = forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})


class KakaoChannelForm(forms.Form):
    """/settings/kakao/: the 상담톡 dealer and the AlimTalk provider. Secrets are write-only:
    never rendered back, and left empty they keep the stored one."""

    chat_provider = forms.ChoiceField(
        label=_("상담톡 (chat) provider"), choices=KakaoChannel.ChatProvider.choices, required=False
    )
    chat_base_url = forms.URLField(
        assume_scheme="https",
        label=_("Chat API address"),
        required=False,
        help_text=format_lazy(_("e.g. {url}"), url="https://kakao-api.happytalk.io"),
    )
    chat_client_id = forms.CharField(
        label=_("Happytalk key ID"),
        max_length=200,
        required=False,
        help_text=format_lazy(_("The {header} Happytalk gave you."), header="HT-Client-Id"),
    )
    chat_secret = forms.CharField(label=_("Happytalk secret"), required=False, strip=False, widget=SECRET_WIDGET)
    chat_sender_key = forms.CharField(
        label=_("Sender key (발신프로필 키)"), max_length=40, min_length=40, required=False
    )
    alimtalk_provider = forms.ChoiceField(
        label=_("알림톡 (AlimTalk) provider"), choices=KakaoChannel.AlimTalkProvider.choices, required=False
    )
    alimtalk_base_url = forms.URLField(
        assume_scheme="https",
        label=_("AlimTalk API address"),
        required=False,
        help_text=format_lazy(_("e.g. {url}"), url="https://api-alimtalk.cloud.toast.com"),
    )
    alimtalk_appkey = forms.CharField(label=_("App key"), max_length=100, required=False)
    alimtalk_secret = forms.CharField(label=_("X-Secret-Key"), required=False, strip=False, widget=SECRET_WIDGET)
    alimtalk_sender_key = forms.CharField(label=_("AlimTalk sender key"), max_length=40, min_length=40, required=False)
    sms_sender_no = forms.RegexField(
        label=_("SMS fallback sender number"),
        regex=r"^[0-9-]{8,20}$",
        required=False,
        help_text=_("A number registered with your provider for SMS; empty: no SMS fallback."),
    )

    def __init__(self, *args, stored: KakaoChannel | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored = stored
        for name, sealed in (
            ("chat_secret", "chat_client_secret_sealed"),
            ("alimtalk_secret", "alimtalk_secret_sealed"),
        ):
            if stored is not None and getattr(stored, sealed):
                self.fields[name].help_text = _("A secret is stored. Leave this empty to keep it.")
            else:
                self.fields[name].help_text = _("Stored encrypted and never shown again.")

    def clean(self):
        cleaned = super().clean()
        stored = self.stored
        if cleaned.get("chat_provider"):
            for name in ("chat_base_url", "chat_client_id", "chat_sender_key"):
                if not cleaned.get(name):
                    self.add_error(name, _("Needed for the chat provider."))
            if not cleaned.get("chat_secret") and not (stored and stored.chat_client_secret_sealed):
                self.add_error("chat_secret", _("Needed for the chat provider."))
        if cleaned.get("alimtalk_provider"):
            for name in ("alimtalk_base_url", "alimtalk_appkey", "alimtalk_sender_key"):
                if not cleaned.get(name):
                    self.add_error(name, _("Needed for the AlimTalk provider."))
            if not cleaned.get("alimtalk_secret") and not (stored and stored.alimtalk_secret_sealed):
                self.add_error("alimtalk_secret", _("Needed for the AlimTalk provider."))
        return cleaned


class TemplateForm(forms.Form):
    code = forms.RegexField(label=_("Template code"), regex=r"^[A-Za-z0-9_-]{1,20}$", max_length=20)
    name = forms.CharField(label=_("Name"), max_length=100)
    purpose = forms.ChoiceField(label=_("Used for"), choices=AlimTalkTemplate.Purpose.choices)
    text = forms.CharField(
        label=_("Template text"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=1000,
        help_text=_("Exactly as Kakao approved it, with its #{variables}."),
    )
    buttons = forms.CharField(
        label=_("Buttons"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: the button's name, a space, then its link."),
    )

    def clean_buttons(self):
        buttons = []
        for line in self.cleaned_data["buttons"].splitlines():
            name, _sep, link = line.strip().rpartition(" ")
            if not line.strip():
                continue
            if not name or not link.startswith(("https://", "http://")):
                raise forms.ValidationError(_("Write each button as its name, a space, then an http(s) link."))
            buttons.append({"name": name.strip()[:14], "type": "WL", "linkMo": link, "linkPc": link})
        return buttons


class AlimTalkSendForm(forms.Form):
    """The conversation panel's AlimTalk notice: a template and a value for each #{variable}."""

    template = forms.ModelChoiceField(label=_("Template"), queryset=AlimTalkTemplate.objects.all())

    def __init__(self, *args, template: AlimTalkTemplate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = template
        if self.is_bound:
            raw = str(self.data.get("template", ""))
            chosen = AlimTalkTemplate.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        self.variables = template_variables(chosen.text) if chosen else []
        for name in self.variables:
            self.fields[f"var_{name}"] = forms.CharField(label=f"#{{{name}}}", max_length=200)

    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"var_{name}"] for name in self.variables}


class KakaoPreferenceForm(forms.Form):
    mobile = forms.RegexField(label=_("Mobile number"), regex=r"^[0-9+ -]{9,20}$", required=False)
    alimtalk_consent = forms.BooleanField(label=_("Agreed to AlimTalk notices"), required=False)
    stopped = forms.BooleanField(label=_("Asked to receive nothing on KakaoTalk"), required=False)
