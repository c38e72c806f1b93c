"""Every write of the supplies app, one module per part of the domain and one function
per verb: `ledger` (stock movements), `donations`, `requests`, `prices`, `places`."""
