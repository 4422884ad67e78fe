"""The HTTP service: one feedback repository behind a FastAPI application."""
