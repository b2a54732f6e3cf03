-- Statistics by period (admin/domain/period-stats.ts): tasks settled before a period's first day are counted by lead
-- agency, leader, sector and document type in one pass over this covering index instead of over the table (rows carry
-- title, content and search text): ≈ 3 ms instead of ≈ 35 ms for ten years.
CREATE INDEX tasks_period ON tasks(settled_on, settled_category, lead_agency_id, leader_id, sector_id, document_id, confidential);
