"""The contact form on the agency's website (issue 18): /contact/ and /contact/embed/.

A visitor's submission becomes a customer message on the Web form channel (the clock starts as
for an email) and an acknowledgement with the expected answer time. Spam filters (a honeypot, a
signed minimum fill time) keep what they catch in the "filtered" list a manager can release;
rate limits answer 429 and keep nothing, since the visitor is told at once.
"""
