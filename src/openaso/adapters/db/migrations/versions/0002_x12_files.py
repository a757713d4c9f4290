"""837 intake: files received, acknowledgments sent, claim diagnoses and origins

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "x12_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("transaction", sa.String(length=3), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_x12_files")),
    )
    op.create_index(op.f("ix_x12_files_sha256"), "x12_files", ["sha256"])
    op.create_table(
        "x12_acknowledgments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=3), nullable=False),
        sa.Column("interchange", sa.String(length=9), nullable=False),
        sa.Column("group_control", sa.String(length=9), nullable=True),
        sa.Column("status", sa.String(length=1), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["x12_files.id"], name=op.f("fk_x12_acknowledgments_file_id_x12_files")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_x12_acknowledgments")),
    )
    op.create_index(op.f("ix_x12_acknowledgments_file_id"), "x12_acknowledgments", ["file_id"])
    op.create_table(
        "claim_diagnoses",
        sa.Column("claim_seq", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_seq"], ["claims.seq"], name=op.f("fk_claim_diagnoses_claim_seq_claims")
        ),
        sa.PrimaryKeyConstraint("claim_seq", "position", name=op.f("pk_claim_diagnoses")),
    )
    op.create_index(op.f("ix_claim_diagnoses_code"), "claim_diagnoses", ["code"])
    op.add_column("claims", sa.Column("source_file", sa.Integer(), nullable=True))
    op.add_column("claims", sa.Column("patient_control", sa.String(length=38), nullable=True))
    op.create_index(op.f("ix_claims_source_file"), "claims", ["source_file"])


def downgrade() -> None:
    op.drop_index(op.f("ix_claims_source_file"), table_name="claims")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("patient_control")
        batch.drop_column("source_file")
    op.drop_table("claim_diagnoses")
    op.drop_table("x12_acknowledgments")
    op.drop_table("x12_files")
