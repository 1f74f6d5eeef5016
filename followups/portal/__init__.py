"""The customers' self-service page (issue 18): /my/ asks for a magic link by email, and
/my/<token>/ shows the contact's client its conversations (never internal notes), proposals,
upcoming check-ins, pending feedback and its account owner, and lets them write to us.
"""
