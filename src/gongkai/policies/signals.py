from django.dispatch import Signal

# Sent inside the publishing transaction with `policy` and `actor`.
policy_published = Signal()
