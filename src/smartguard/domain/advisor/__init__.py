"""The advisor: a security check-up, recommendations from the cardholder's own history, and
a preview of what a change of protections would have done (SPEC 3.9). Pure functions of
(settings, history, agreements, cardholder); the service layer loads their inputs."""
