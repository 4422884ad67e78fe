"""Near-duplicate clustering: recurring pain points across languages."""
