"""The manager dashboard: response-time figures, waiting now, the inquiry funnel and care figures,
read from the other rooms' stored rows, and the long periods' precomputed snapshots. The top
floor of followups: it reads every room and nothing imports it."""
