"""The procedure as keyword-only service functions, one module per step.

Every service checks the person's permission (``selection.permissions``),
validates its input, writes in one transaction and leaves an audit event.
Pages and the command line call these; they hold no rule of their own.
"""
