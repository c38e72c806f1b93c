"""Who may do what with the risk-area list: everyone with an account reads it (it is
public information); headquarters keep it."""

from fangkong.accounts.roles import ALL, HQ_ROLES, Role, grant

grant({str(r) for r in ALL}, "riskareas.riskarea", {"view"})
grant({str(r) for r in HQ_ROLES | {Role.CDC}}, "riskareas.riskarea", {"add", "change"})
