"""Every write of the mobilisation app, one module per part of the domain and one
function per verb, validated, in one transaction, audited (django-auditlog attributes
changes to the acting account): `organisations`, `members`, `registration`, `rosters`,
`ppe`; `fields` holds the checks they share."""
