"""Writes for agreements and schedules, on the kernel's write path (`documents.services`).

Import from the submodules:

- `agreements.services.schedules`: schedule_create, schedule_update, schedule_restore, schedule_agree, …
- `agreements.services.agreements`: agreement_create, agreement_update, agreement_agree, …
"""
