"""Post-sale care: check-in plans and check-ins (`scheduling`, `checkins`, `daily`),
satisfaction feedback (`feedback`) and unsubscribing from check-ins (`unsubscribe`). The weekly
review, a management report built on the dashboard's figures, lives in `dashboard`."""
