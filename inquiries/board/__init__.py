"""The pipeline board: one column per inquiry status, moves by drag and drop or a menu, lost reasons.

Its own Django app (label `board`) above `inquiries`: it reads and moves inquiries through
`inquiries.services`, and nothing else in `inquiries` imports it (an import-linter contract)."""
