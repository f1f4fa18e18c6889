"""Store workflows, their runs, per-step results and run errors.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _timestamp(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    _create_workflows()
    _create_runs()
    _create_step_results()
    _create_run_errors()


def _create_workflows() -> None:
    op.create_table(
        "workflows",
        sa.Column(
            "project_id",
            sa.String(40),
            sa.ForeignKey("projects.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("id", sa.String(100), primary_key=True),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("trigger_type", sa.String(20), nullable=False),
        sa.Column("trigger_provider", sa.String(100), nullable=True),
        sa.Column("trigger_event_type", sa.String(200), nullable=True),
        _timestamp("created_at", nullable=False),
        _timestamp("updated_at", nullable=False),
    )
    op.create_index(
        "ix_workflows_event_trigger",
        "workflows",
        ["project_id", "trigger_provider", "trigger_event_type"],
    )
    op.create_index("ix_workflows_project_created", "workflows", ["project_id", "created_at", "id"])


def _create_runs() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column(
            "project_id",
            sa.String(40),
            sa.ForeignKey("projects.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("workflow_id", sa.String(100), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("trigger", sa.JSON(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(40), nullable=True),
        sa.Column("current_step", sa.String(100), nullable=True),
        _timestamp("created_at", nullable=False),
        _timestamp("updated_at", nullable=False),
        _timestamp("enqueued_at"),
        _timestamp("started_at"),
        _timestamp("finished_at"),
        _timestamp("heartbeat_at"),
        _timestamp("next_attempt_at"),
        sa.Column("error_step", sa.String(100), nullable=True),
        sa.Column("error_code", sa.String(100), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
    )
    op.create_index("ix_runs_project_created", "runs", ["project_id", "created_at", "id"])
    op.create_index("ix_runs_status_next_attempt", "runs", ["status", "next_attempt_at"])
    op.create_index("ix_runs_status_heartbeat", "runs", ["status", "heartbeat_at"])


def _create_step_results() -> None:
    op.create_table(
        "step_results",
        sa.Column(
            "run_id", sa.String(40), sa.ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("step_id", sa.String(100), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("output", sa.JSON(), nullable=True),
        sa.Column("error_code", sa.String(100), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        _timestamp("started_at"),
        _timestamp("finished_at"),
        sa.Column("duration_ms", sa.Float(), nullable=True),
    )


def _create_run_errors() -> None:
    op.create_table(
        "run_errors",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "run_id", sa.String(40), sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("step_id", sa.String(100), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("error_code", sa.String(100), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("retryable", sa.Boolean(), nullable=False),
        sa.Column("provider", sa.String(100), nullable=True),
        sa.Column("provider_status", sa.Integer(), nullable=True),
        sa.Column("raw_response", sa.JSON(), nullable=True),
        sa.Column("category", sa.String(100), nullable=True),
        sa.Column("recommended_fix", sa.Text(), nullable=True),
        _timestamp("created_at", nullable=False),
    )
    op.create_index("ix_run_errors_run_id", "run_errors", ["run_id"])


def downgrade() -> None:
    op.drop_index("ix_run_errors_run_id", table_name="run_errors")
    op.drop_table("run_errors")
    op.drop_table("step_results")
    for name in (
        "ix_runs_status_heartbeat",
        "ix_runs_status_next_attempt",
        "ix_runs_project_created",
    ):
        op.drop_index(name, table_name="runs")
    op.drop_table("runs")
    op.drop_index("ix_workflows_project_created", table_name="workflows")
    op.drop_index("ix_workflows_event_trigger", table_name="workflows")
    op.drop_table("workflows")
