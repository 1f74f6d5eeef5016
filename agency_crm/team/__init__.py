"""The team: managers invite colleagues (a signed, single-use, expiring link by email), change
their role, deactivate them (after the offboarding hand-over), and everyone may protect their
sign-in with an authenticator app and recovery codes; managers may require it for everyone.
Every change is a fact on the team's audit list (/settings/people/audit/), rendered for the reader.

Modules: `models` (invitations, the audit events, the agency's sign-in policy), `audit`,
`invitations` and `members` (services), `twofactor` (devices, codes and the policy),
`selectors`, `forms`, `views` (team pages), `signin` (the login pages), `middleware`.
"""
