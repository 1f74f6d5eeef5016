"""The agency's own settings stored in the database: its name, the sender of customer email and
the sites that may embed the contact form. Settings AGENCY_NAME, DEFAULT_FROM_EMAIL and
CONTACT_FORM_ALLOWED_ORIGINS stay the defaults while a field is empty."""
