-- the churn model's versions (scenario 13): one row per trained model with its windows and evaluation, and the
-- importance of each feature. scores go to the shared det.churn_score (005). no keys: the trainer keeps model_id
-- unique and exactly one model active per feature set.
create table if not exists det.churn_model (
    model_id            varchar not null,   -- churn-<feature set>-<yyyyMMddHHmmss>
    feature_set         varchar not null,   -- province | ibm_telco: the data the model was trained on
    algorithm           varchar not null,   -- the scoring model, e.g. fasttree
    baseline_algorithm  varchar not null,   -- the reference it is compared with, e.g. lbfgs_logistic_regression
    split               varchar not null,   -- time | random
    train_from          date,               -- training window (months; null for a random split)
    train_to            date,
    eval_from           date,               -- evaluation window: months after the backtest's training window
    eval_to             date,
    backtest_train_to   date,               -- the evaluated model was trained on months <= this; the saved one may be refitted on all
    train_rows          bigint not null,
    train_positives     bigint not null,
    eval_rows           bigint not null,
    eval_positives      bigint not null,
    auc                 double,             -- ROC AUC of the model on the evaluation rows; null if they hold one class only
    baseline_auc        double,
    lift_top_decile     double,             -- churn rate in the top 10 % of scores / overall churn rate (evaluation rows)
    training_seconds    double not null,
    encoder_json        varchar not null,   -- how raw columns become the feature vector (medians, categories)
    model_path          varchar not null,   -- ML.NET model file, relative to the warehouse folder
    trained_at          timestamp not null,
    active              boolean not null
);

-- grain: one row per model and feature (after encoding, e.g. contract=Month-to-month)
create table if not exists det.churn_model_feature (
    model_id    varchar not null,
    feature     varchar not null,
    importance  double not null,    -- share of the trees' split gain, sums to 1 per model
    rank        integer not null
);
