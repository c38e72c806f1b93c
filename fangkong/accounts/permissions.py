"""Who may do what with accounts; imported from the AppConfig."""

from fangkong.accounts.roles import Role, grant

# System administrators manage accounts and their API tokens (no personal data).
grant({Role.SYSADMIN}, "accounts.apitoken", {"view", "revoke"})
grant({Role.SYSADMIN}, "accounts.user", {"view", "enrol"})
