from django.core.exceptions import ValidationError


def form_add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form that called it.

    Errors for fields the form has go next to those fields; the rest (and plain messages) become
    non-field errors, so nothing a service refuses is ever silently dropped.
    """
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
