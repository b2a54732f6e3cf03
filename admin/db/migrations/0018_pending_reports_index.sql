-- Reports waiting for the working group (issue 14): the confirmation queue, its count and the overview's backlog by
-- age read the tasks with a pending report; without an index each read scanned every task (≈ 10 ms on ten years,
-- after every write, as nothing can be cached then). Partial: only the few tasks waiting are in it.
CREATE INDEX tasks_reported_pending ON tasks(reported_on, id) WHERE reported_on IS NOT NULL AND cancelled_on IS NULL;
