// The command line as users run it: the real bin in a child process.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { twinspace } from './run-cli.ts';

const TINY = new URL('../fixtures/tiny-facility.json', import.meta.url).pathname;
const DEMO = new URL('../../server/demo/plant.json', import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), 'twinspace-cli-'));
function writeVariant(name: string, edit: (d: any) => void): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const doc = JSON.parse(readFileSync(TINY, 'utf8'));
  edit(doc);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

describe('twinspace validate', () => {
  it('accepts the demo plant with a one-line summary', async () => {
    const r = await twinspace(['validate', DEMO]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/valid — 2 floors, \d+ zones, \d+ doors \(\d+ with readers\), \d+ cameras, \d+ sensors, \d+ HVAC units/);
  });

  it('prints one JSON document with --json', async () => {
    const r = await twinspace(['validate', TINY, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, id: 'tiny', name: 'Tiny test plant', floors: 1, zones: 2, doors: 2, readers: 1, cameras: 1, sensors: 3, hvacUnits: 1 });
  });

  it('refuses a bad file with every problem on stderr and exit 1', async () => {
    const bad = writeVariant('bad.json', (d) => {
      d.floors[0].cameras[0].id = 'D-1';
      d.floors[0].doors[0].zones[1] = 'CR-999';
      d.floors[0].zones[1].polygon = [[10, 0], [20, 10], [20, 0], [10, 10]];
      d.floors[0].zones[0].polygon = [[0, 0], [30, 0], [30, 10], [0, 10]];
    });
    const r = await twinspace(['validate', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      `${bad}: floors[0].zones[1].polygon: polygon intersects itself at edges 0 and 2`,
      `${bad}: floors[0].cameras[0].id: duplicate id "D-1" (first at floors[0].doors[0])`,
      `${bad}: floors[0].zones[0].polygon: zone lies outside its floor outline (floor "L1")`,
      `${bad}: floors[0].doors[0].zones[1]: unknown zone "CR-999"`,
    ]);
  });

  it('refuses a file that is not JSON and one that is missing', async () => {
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, 'format: twinspace');
    const a = await twinspace(['validate', notJson]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(new RegExp(`^${notJson}: \\(document\\): not valid JSON`));
    const b = await twinspace(['validate', join(dir, 'absent.json')]);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('absent.json: cannot read: ENOENT');
  });

  it('refuses a wrong format', async () => {
    const r = await twinspace(['validate', writeVariant('fmt.json', (d) => { d.format = 'ifc'; })]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('format: must be "twinspace.facility/1"');
  });
});

describe('usage', () => {
  it('exits 2 with usage for an unknown command, a missing argument or an unknown option', async () => {
    const a = await twinspace(['frobnicate']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('unknown command "frobnicate"');
    expect(a.stderr).toContain('Usage: twinspace <command>');
    const b = await twinspace(['validate']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('Usage: twinspace validate');
    const c = await twinspace(['validate', TINY, '--bogus']);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("Unknown option '--bogus'");
  });

  it('answers --help for the tool and every command with exit 0', async () => {
    const top = await twinspace(['--help']);
    expect(top.code).toBe(0);
    const names = [...top.stdout.matchAll(/^ {2}(\S+) {2}/gm)].map((m) => m[1]!);
    expect(names).toContain('validate');
    for (const name of names) {
      const r = await twinspace([name, '--help']);
      expect(r.code, name).toBe(0);
      expect(r.stdout, name).toContain(`Usage: twinspace ${name}`);
    }
  });
});

describe('twinspace serve', () => {
  it('refuses to start on an invalid facility, printing the refusal', async () => {
    const bad = writeVariant('serve-bad.json', (d) => { d.floors[0].sensors[0].zone = 'NOWHERE'; });
    const r = await twinspace(['serve', '--facility', bad, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('floors[0].sensors[0].zone: unknown zone "NOWHERE"');
  });

  it('rejects a bad port as usage', async () => {
    const r = await twinspace(['serve', '--port', 'eighty']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port must be an integer');
  });
});
