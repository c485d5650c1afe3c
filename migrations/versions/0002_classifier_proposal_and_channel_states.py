"""classifier proposal and channel states

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 00:25:41.500292

"""
from alembic import op
import sqlalchemy as sa

import helpdesk.timeutil


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('channel_states',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('last_poll_at', helpdesk.timeutil.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_ok_at', helpdesk.timeutil.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_error_at', helpdesk.timeutil.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_channel_states'))
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposed_component', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('proposed_service_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('proposal_confidence', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('proposal_explain', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('classification_confirmed', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_foreign_key(batch_op.f('fk_tickets_proposed_service_id_services'), 'services', ['proposed_service_id'], ['id'])



def downgrade():
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tickets_proposed_service_id_services'), type_='foreignkey')
        batch_op.drop_column('classification_confirmed')
        batch_op.drop_column('proposal_explain')
        batch_op.drop_column('proposal_confidence')
        batch_op.drop_column('proposed_service_id')
        batch_op.drop_column('proposed_component')

    op.drop_table('channel_states')
