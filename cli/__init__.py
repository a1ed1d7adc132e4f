"""The trustcascade command line."""
