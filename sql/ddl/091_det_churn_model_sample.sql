-- a model trained on a sample of the subscribers records the share it saw (1 = every labelled row)
alter table det.churn_model add column if not exists sample_share double;
