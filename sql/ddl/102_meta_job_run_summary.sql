-- a run's summary as the names of its sentences and their values (Core/Jobs/RunNotes.cs, JSON), so the operations page
-- reads it in the reader's language; the message keeps the English for logs and the command line. Null for runs
-- without one (failed, interrupted, made by an earlier version): the page shows the message.
alter table meta.job_run add column if not exists summary varchar;
