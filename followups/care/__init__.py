"""Post-sale care: check-in plans and check-ins (`scheduling`, `checkins`), satisfaction
feedback (`feedback`), unsubscribing from check-ins (`unsubscribe`) and the weekly review
(`weekly_review`)."""
