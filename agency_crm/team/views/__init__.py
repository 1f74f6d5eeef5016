"""The team pages (`people`), your own two-factor sign-in (`twofactor`) and the login (`signin`)."""
