-- grain: the models of one feature set; a newly trained active model replaces the active one
update det.churn_model set active = false where feature_set = $feature_set and active
