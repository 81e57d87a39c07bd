"""Pages of the beneficiaires app, one module per screen: lists (table, board, bulk actions,
export), records (detail, create, edit, contact log, consents), merge, imports."""
