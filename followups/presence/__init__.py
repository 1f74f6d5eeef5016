"""Who else has a conversation open: each open conversation page tells the server every
PRESENCE_POLL_SECONDS whether its reader is viewing or replying (htmx polling), and shows the
colleagues seen in the last PRESENCE_SECONDS ("박민지 is replying"). The composer's own check
(a colleague's reply newer than what the sender saw asks for confirmation) is in conversations."""
