"""The ground floor of followups: conversations, messages, topics, internal notes, response
policies, the agency's opening hours, the business calendar and the response clock.

It imports no other room of followups; rooms above it take part in its work through `hooks`."""
