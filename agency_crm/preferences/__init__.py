"""Per-person settings (/settings/): language, name order, reminder email interval, which notices
come at once, and a personal signature. Every signed-in person edits their own; managers see
everyone's. The request follows them (middleware), and so do the emails written for them
(`for_person()`)."""
