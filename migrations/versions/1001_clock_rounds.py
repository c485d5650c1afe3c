"""clock rounds: a reopened complaint's new due date and reminders

Revision ID: 1001
Revises: 0601
Create Date: 2026-12-01 21:15:00

"""
from alembic import op
import sqlalchemy as sa

import helpdesk.timeutil


# revision identifiers, used by Alembic.
revision = '1001'
down_revision = '0601'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clock_round', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('reopened_at', helpdesk.timeutil.UTCDateTime(timezone=True), nullable=True))
    # The partial index is dropped and made again around the table rebuild (SQLite) so its WHERE stays.
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index('ix_reminders_due_unsent')
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('round', sa.Integer(), server_default='1', nullable=False))
        batch_op.drop_constraint('uq_reminders_ticket_id_kind', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_reminders_ticket_id_round_kind'),
                                          ['ticket_id', 'round', 'kind'])
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index('ix_reminders_due_unsent', ['due_at'], unique=False,
                              postgresql_where=sa.text('sent_at IS NULL'), sqlite_where=sa.text('sent_at IS NULL'))


def downgrade():
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index('ix_reminders_due_unsent')
    op.execute("DELETE FROM reminders WHERE round > 1")
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_constraint('uq_reminders_ticket_id_round_kind', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_reminders_ticket_id_kind'), ['ticket_id', 'kind'])
        batch_op.drop_column('round')
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index('ix_reminders_due_unsent', ['due_at'], unique=False,
                              postgresql_where=sa.text('sent_at IS NULL'), sqlite_where=sa.text('sent_at IS NULL'))
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_column('reopened_at')
        batch_op.drop_column('clock_round')
