"""/settings/agency/: a manager sets the agency up in the app (name and sender of customer email,
opening hours with several intervals a weekday, closures and extra opening days, response
targets per tier and channel, the sites that may embed the contact form). It writes through
agency_crm.agency and followups.conversations.services.calendar; its selectors tell the
first-run checklist what has been set."""
