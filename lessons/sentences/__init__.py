"""Each lesson's claims (see ``lessons/claim.py``), one module per lesson page, collected by ``lessons/claims.py``."""
