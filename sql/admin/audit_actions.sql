-- grain: one row per audited action name, for the audit log's filter
select distinct action from ops.audit_log order by action
