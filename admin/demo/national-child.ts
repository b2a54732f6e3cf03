/**
 * Child process of the demo's national roll-up (admin/demo/national.ts): writes one other province's open data
 * (national-province.ts), so the two provinces are made on both cores while the roll-up checks the demo's own.
 * Argument: the OtherProvinceSpec as JSON. Exit 0 when written; 1 with the reason on stderr.
 */
import { type OtherProvinceSpec, writeOtherProvince } from './national-province.ts';

try {
  await writeOtherProvince(JSON.parse(process.argv[2] ?? '') as OtherProvinceSpec);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
