/**
 * The split preview's view model (issue 12, "Split"): every open task of the agency with the successor the mapping
 * proposes and the one the administrator has chosen. The page is one form that works without JavaScript: each row
 * carries the proposal it was shown with, so on "re-compute" a row the administrator changed keeps its choice and
 * the others follow the new mapping.
 */
import type { DB } from '../db/open.ts';
import { compareVi } from './collation.ts';
import { listAgencies, type AgencyRow } from './agencies.ts';
import type { ResolvedMapping } from './agency-split-mapping.ts';
import { blockingTask, listSplitTasks, proposeSuccessor, type SplitTask } from './agency-split.ts';
import type { IsoDate } from './dates.ts';

export interface SplitRowInput {
  /** the successor id submitted for the row ('' = none) */
  chosen: string;
  /** the proposal the row was shown with ('' = none) */
  proposed: string;
}

export interface SplitPreviewRow {
  task: SplitTask;
  proposal: number | null;
  proposalSource: 'sector' | 'default' | null;
  chosen: number | null;
}

export interface AgencyOption {
  value: string;
  label: string;
}

export interface SplitPreview {
  rows: SplitPreviewRow[];
  /** the successors offered in each row: those the mapping names, the default and any already chosen */
  rowOptions: AgencyOption[];
  /** every agency operating now except the split one (default successor, accounts' successor) */
  activeOptions: AgencyOption[];
  /** the task whose last event is the earliest possible split day */
  blocking: { code: string; lastEventOn: IsoDate } | null;
}

const idOf = (s: string): number | null => (/^[1-9][0-9]{0,9}$/.test(s) ? Number(s) : null);

/**
 * Builds the rows. `submitted` holds the rows of a posted form (null on first display); with `keepChoices` (apply)
 * the submitted choice is taken as it is, otherwise (re-compute) a row follows the new proposal unless the
 * administrator had changed it from the proposal it was shown with.
 */
export function buildSplitPreview(
  db: DB,
  agency: AgencyRow,
  mapping: ResolvedMapping,
  defaultId: number | null,
  submitted: Map<number, SplitRowInput> | null,
  keepChoices: boolean,
): SplitPreview {
  const rows = listSplitTasks(db, agency.id).map((task): SplitPreviewRow => {
    const bySector = task.sectorId !== null ? mapping.bySector.get(task.sectorId) : undefined;
    const proposal = proposeSuccessor(task.sectorId, mapping, defaultId);
    const proposalSource = bySector !== undefined ? 'sector' : proposal !== null ? 'default' : null;
    const s = submitted?.get(task.id);
    let chosen = proposal;
    if (s && (keepChoices || s.chosen !== s.proposed)) chosen = idOf(s.chosen);
    return { task, proposal, proposalSource, chosen };
  });
  const active = listAgencies(db)
    .filter((a) => a.status === 'active' && a.id !== agency.id)
    .sort((a, b) => compareVi(a.name, b.name));
  const offered = new Set<number>([...mapping.successors, ...(defaultId !== null ? [defaultId] : [])]);
  for (const r of rows) if (r.chosen !== null) offered.add(r.chosen);
  const option = (a: { id: number; name: string; code: string }) => ({
    value: String(a.id),
    label: `${a.name} (${a.code})`,
  });
  return {
    rows,
    rowOptions: active.filter((a) => offered.has(a.id)).map(option),
    activeOptions: active.map(option),
    blocking: blockingTask(db, agency.id),
  };
}
