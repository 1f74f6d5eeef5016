"""The public REST API under /api/v1/ (Django REST Framework): the top floor of the project.

It may use every app (clients, inquiries, followups) and nothing imports it (an import-linter
contract). It never writes a model itself: each write calls the service the page calls, under the
same permission rules (agency_crm.permissions and the views' access checks). Modules:
`models` (personal access tokens), `scopes`, `auth` (token and browsable-session authentication,
the per-token rate limit), `access` (scopes and active staff), `paging`, `filters`, `errors`
(one JSON error shape), one module per resource group (`clients`, `inquiries`, `conversations`,
`care`, `answers`, `people`), `tokens` (the /settings/tokens/ page) and `urls`.
"""
