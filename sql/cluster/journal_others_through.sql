-- grain: one row: the newest journal id another node wrote, where a writer's look for late rows starts after its catch-up
select coalesce(max(journal_id), 0)
from ops.agent_journal
where node <> $node
