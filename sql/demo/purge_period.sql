-- grain: everything of one period's demo campaigns (made but not finished when the process stopped), removed before
-- the period is made again. only campaigns of the demo's own creator in a marked demo warehouse get here.
create or replace temp table demo_purge as
select campaign_id from ops.campaign where period = $period and (demo or created_by = $created_by);

delete from ops.questionnaire_answer
where task_id in (select task_id from ops.task where campaign_id in (select campaign_id from demo_purge));
delete from ops.contact where campaign_id in (select campaign_id from demo_purge);
delete from ops.task where campaign_id in (select campaign_id from demo_purge);
delete from ops.campaign_member where campaign_id in (select campaign_id from demo_purge);
delete from ops.campaign_run where campaign_id in (select campaign_id from demo_purge);
delete from ops.campaign where campaign_id in (select campaign_id from demo_purge);
drop table demo_purge;
