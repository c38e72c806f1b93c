"""Writes of the fever clinic and the case, one module per part of the domain and one
function per verb, each in a transaction: `visits`, `cases`, `rulesets`; `inputs` holds
the readings they share. Bad input raises ValidationError naming the field; a role that
may not act raises NotAllowed. Hospital care (transfers, beds, daily status, discharge,
death) is in `care.py`, samples in `samples.py`, investigations and clusters in
`investigation.py`."""
