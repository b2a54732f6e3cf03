/**
 * Where a server that serves a public release (SITE_DIR, data/site/current) finds the national roll-up it also
 * serves at /toan-quoc/ (the demo builds it there: admin/demo/national.ts): the folder `toan-quoc` beside it.
 */
import { resolve } from 'node:path';

export const NATIONAL_PATH = '/toan-quoc';

export function nationalRollupDir(publicSiteDir: string): string {
  return resolve(publicSiteDir, '..', 'toan-quoc');
}
