-- grain: the scores of one period, removed before the period is scored again (same transaction as the insert)
delete from det.churn_score where period = $period
