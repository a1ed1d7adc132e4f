"""A participatory class: students seated as citizens of one shared society (``trustcascade classroom``)."""
