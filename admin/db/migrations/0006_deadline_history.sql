-- The deadline is a history (admin/domain/status.ts deadlineHistory): a correction counts from the day it is made,
-- so statistics as of earlier days keep the deadline in force then. JSON [[deadline|null, fromDate], ...] when the
-- deadline was corrected, NULL otherwise; tasks.deadline stays the deadline in force now.
ALTER TABLE tasks ADD COLUMN deadline_history TEXT;
CREATE INDEX tasks_deadline_corrected ON tasks(id) WHERE deadline_history IS NOT NULL;
