from django.dispatch import Signal

# Sent inside the publishing transaction with `policy` and `actor`.
policy_published = Signal()

# Sent when a policy's validity becomes 失效 or 已废止 (by date, by a repealing or replacing policy, or by a
# clean-up conclusion), with `policy` and `status` (a `Validity` value). Receivers flag what depends on the
# policy — interpretations, Q&A, redemption items — for their owners. Sent inside the transaction.
policy_lapsed = Signal()
