"""Applications: a service's JSON Schema form, asked one question a page, kept as a draft
until the resident sends it, when it becomes a request in `cases`."""
