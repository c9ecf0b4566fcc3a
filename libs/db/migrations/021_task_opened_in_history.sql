-- A task a pathway opened while catching up with a loaded history (ADR 0019) was opened then, in
-- clinical time: a not-returned call months ago, a family's check-in after a death last spring.
-- `created_at` stays when the row was written (the event-to-task latency and the open-task figures
-- are the running system's), and `opened_at` says when, clinically, the task was opened. NULL for a
-- task opened in the present. A completion may be dated back to it (libs/db/src/task-actions.ts).
ALTER TABLE task ADD COLUMN opened_at timestamptz;
