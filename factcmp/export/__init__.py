"""`factcmp export`: the comparison for other tools. `rows` turns a comparison into
table rows (no database); `sqlite` writes them with sqlite-utils (the optional extra
`factcmp[datasette]`, imported only by `factcmp export`); `metadata` is Datasette's
metadata for the database."""
