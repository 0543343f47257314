"""SmartGuard: an account-security guard for bank debit cards."""

__version__ = "0.1.0"
