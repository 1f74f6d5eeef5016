"""Tasks: a promised next step with a due date (and maybe a time), an assignee and the one client,
inquiry, conversation or check-in it is about. `services` creates, completes, reopens, edits and
suggests them; `reminders` tells the assignee an hour before, at due and (in the digest) the
morning after; `selectors` feeds "My tasks", the panels of the pages and the pipeline board's next
step (`inquiries.hooks.next_steps`); `offboarding` hands them over."""
