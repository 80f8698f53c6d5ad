"""the catalogue's size, kept by triggers on product, so a list's total counts no rows

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNT_ONE_MORE = (
    "INSERT INTO catalogue_size (id, products) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET products = catalogue_size.products + 1"
)
COUNT_ONE_LESS = "UPDATE catalogue_size SET products = catalogue_size.products - 1 WHERE id = 1"
SQLITE = (
    f"CREATE TRIGGER product_counted AFTER INSERT ON product BEGIN {COUNT_ONE_MORE}; END",
    f"CREATE TRIGGER product_uncounted AFTER DELETE ON product BEGIN {COUNT_ONE_LESS}; END",
)
POSTGRESQL = (
    "CREATE OR REPLACE FUNCTION count_products() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN IF TG_OP = 'INSERT' THEN {COUNT_ONE_MORE}; "
    f"ELSIF TG_OP = 'DELETE' THEN {COUNT_ONE_LESS}; "
    "ELSE DELETE FROM catalogue_size; END IF; RETURN NULL; END $$",
    "CREATE TRIGGER product_counted AFTER INSERT OR DELETE ON product "
    "FOR EACH ROW EXECUTE FUNCTION count_products()",
    "CREATE TRIGGER product_truncated AFTER TRUNCATE ON product "
    "FOR EACH STATEMENT EXECUTE FUNCTION count_products()",
)


def upgrade() -> None:
    op.create_table(
        "catalogue_size",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("products", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_catalogue_size_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_size")),
    )
    op.execute("INSERT INTO catalogue_size (id, products) SELECT 1, count(*) FROM product")
    for statement in POSTGRESQL if op.get_context().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER product_truncated ON product")
        op.execute("DROP TRIGGER product_counted ON product")
        op.execute("DROP FUNCTION count_products()")
    else:
        op.execute("DROP TRIGGER product_uncounted")
        op.execute("DROP TRIGGER product_counted")
    op.drop_table("catalogue_size")
