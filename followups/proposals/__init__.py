"""Tells the owners of the work when a customer accepts a proposal (`inquiries` records the
acceptance; it cannot call up into followups, so a beat task picks it up here)."""
