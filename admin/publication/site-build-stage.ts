/**
 * The carried pages of the next build, linked ahead (issue 14). Hard-linking ≈ 29,000 unchanged task pages into
 * their folders costs ≈ 2-3 s of a core (creating 29,000 folders and links on ext4), beside Astro on a 2-core
 * machine. Right after publishing, the publish worker (prepareBuildCaches) knows the next build's plan already: it
 * links those pages into staged/<key>/, key = hash(live release, the build's inputs). A build whose plan has that
 * key takes the tree over as its release folder (one rename); carrying then only checks each link is the live
 * release's very file (same inode, its manifest size, unwritten since: site-build-plan.ts carryFiles) and links
 * what is missing. Any other build removes the staged trees. Under the build lock, like the build.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { carryFiles, type BuildPlan, type ComputedInputs, type SourceRelease } from './site-build-plan.ts';

const STAGED = 'staged';

function stageKey(source: SourceRelease, computed: ComputedInputs): string {
  return createHash('sha256').update(`${source.id}\0${computed.inputs}`).digest('hex').slice(0, 32);
}

/** Removes every staged tree but `keep`. */
function clearStaged(siteDir: string, keep: string | null = null): void {
  const dir = join(siteDir, STAGED);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) if (name !== keep) rmSync(join(dir, name), { recursive: true, force: true });
}

/** Links the plan's carried pages ahead; returns how many (0: not an incremental plan). */
export async function stageCarried(siteDir: string, plan: BuildPlan, computed: ComputedInputs): Promise<number> {
  if (plan.mode !== 'incremental' || !plan.source) {
    clearStaged(siteDir);
    return 0;
  }
  const key = stageKey(plan.source, computed);
  const target = join(siteDir, STAGED, key);
  clearStaged(siteDir, key);
  if (existsSync(target)) return plan.carry.length;
  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  await carryFiles(plan.source, tmp, plan.carry);
  // whole or absent: a killed staging leaves a .tmp tree, removed by the next clearStaged
  renameSync(tmp, target);
  return plan.carry.length;
}

/**
 * The staged tree of this plan becomes the release folder (true), which must not exist yet; every other staged
 * tree is removed.
 */
export function takeStaged(siteDir: string, plan: BuildPlan, computed: ComputedInputs, releaseDir: string): boolean {
  if (plan.mode !== 'incremental' || !plan.source) {
    clearStaged(siteDir);
    return false;
  }
  const key = stageKey(plan.source, computed);
  const staged = join(siteDir, STAGED, key);
  const found = existsSync(staged) && !existsSync(releaseDir);
  if (found) renameSync(staged, releaseDir);
  clearStaged(siteDir);
  return found;
}
