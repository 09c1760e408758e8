-- grain: the demo campaigns of one period, with their members, runs, tasks and answers: the rows the generator stamped with the
-- wall clock get the simulated day the list was made, so the history reads in order (list, calls, close)
update ops.campaign set created_at = $listed_at where period = $period and demo;

update ops.campaign_member set added_at = $listed_at
where campaign_id in (select campaign_id from ops.campaign where period = $period and demo);

update ops.campaign_run set run_at = $listed_at
where campaign_id in (select campaign_id from ops.campaign where period = $period and demo);

-- answers are given on the call that ends the task
update ops.questionnaire_answer
set answered_at = (select coalesce(task.last_attempt_at, $listed_at) from ops.task where task.task_id = questionnaire_answer.task_id)
where task_id in (select task_id from ops.task where campaign_id in (select campaign_id from ops.campaign where period = $period and demo));

update ops.task
set created_at = $listed_at,
    updated_at = coalesce(closed_at, last_attempt_at, $listed_at)
where campaign_id in (select campaign_id from ops.campaign where period = $period and demo);
