// The `twinspace` command line (../shared/spec/interfaces.md). Exit codes:
// 0 success, 1 bad input (every problem on stderr), 2 wrong usage.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Facility } from '../src/core/facility/schema.ts';
import { InputError, UsageError, processIo, readFacilityFile, type Io } from './shared.ts';
import { METRIC_COMMANDS } from './commands/metrics.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

export interface Command {
  usage: string;
  summary: string;
  options: Options;
  /** Positional argument names; a trailing `?` marks optional. */
  args: string[];
  run(values: Values, positionals: string[], io: Io): Promise<number> | number;
}

function summarize(f: Facility) {
  let zones = 0, doors = 0, readers = 0, cameras = 0, sensors = 0;
  for (const fl of f.floors) {
    zones += fl.zones.length;
    doors += fl.doors.length;
    readers += fl.doors.filter((d) => d.reader).length;
    cameras += fl.cameras.length;
    sensors += fl.sensors.length;
  }
  return { id: f.id, name: f.name, floors: f.floors.length, zones, doors, readers, cameras, sensors, hvacUnits: f.hvacUnits.length };
}

const JSON_OPT = { json: { type: 'boolean' } } as const;

/** Every command, by name. Later features register theirs here. */
export const COMMANDS: Record<string, Command> = {
  validate: {
    usage: 'twinspace validate <facility.json> [--json]',
    summary: 'checks a facility model and prints a one-line summary',
    options: JSON_OPT,
    args: ['facility.json'],
    run(values, [file], io) {
      const s = summarize(readFacilityFile(file!));
      if (values['json']) io.out(JSON.stringify({ ok: true, ...s }));
      else io.out(`${file}: valid — ${s.floors} floors, ${s.zones} zones, ${s.doors} doors (${s.readers} with readers), ${s.cameras} cameras, ${s.sensors} sensors, ${s.hvacUnits} HVAC units`);
      return 0;
    },
  },
  serve: {
    usage: 'twinspace serve [--facility F] [--db URL] [--port N] [--host H] [--simulate|--no-simulate] [--speed X] [--backfill-days N] [--seed N] [--mqtt URL [--mqtt-client-id ID]] [--redis URL] [--no-auth] [--origin O[,O…]]',
    summary: 'runs the server; the defaults run the demo plant on an embedded store',
    options: {
      facility: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, db: { type: 'string' },
      'no-auth': { type: 'boolean' }, origin: { type: 'string' },
      // Reserved for the simulator, MQTT and Redis features: accepted, wired in by them.
      simulate: { type: 'boolean' }, 'no-simulate': { type: 'boolean' }, speed: { type: 'string' }, 'backfill-days': { type: 'string' }, seed: { type: 'string' },
      mqtt: { type: 'string' }, 'mqtt-client-id': { type: 'string' }, redis: { type: 'string' },
    },
    args: [],
    async run(values, _pos, io) {
      const { serve } = await import('./serve.ts');
      return serve(values, io);
    },
  },
  import: {
    usage: 'twinspace import <facility.json> <file.csv|file.jsonl> [--db URL] [--lenient] [--json]',
    summary: 'loads telemetry or event records into a store',
    options: { db: { type: 'string' }, lenient: { type: 'boolean' }, ...JSON_OPT },
    args: ['facility.json', 'file'],
    async run(values, pos, io) {
      const { importCommand } = await import('./ingest/import.ts');
      return importCommand(values, pos, io);
    },
  },
  token: {
    usage: 'twinspace token create --role viewer|operator|admin [--label L] [--db URL]',
    summary: 'prints a new bearer token',
    options: { role: { type: 'string' }, label: { type: 'string' }, db: { type: 'string' } },
    args: ['create'],
    async run(values, pos, io) {
      const { tokenCommand } = await import('./auth/command.ts');
      return tokenCommand(values, pos, io);
    },
  },
  'verify-bundle': {
    usage: 'twinspace verify-bundle <bundle.json> [--json]',
    summary: 'checks an exported incident bundle against its manifest',
    options: JSON_OPT,
    args: ['bundle'],
    async run(values, pos, io) {
      const { verifyBundleCommand } = await import('./history/verify-command.ts');
      return verifyBundleCommand(values, pos, io);
    },
  },
  ...METRIC_COMMANDS,
};

function usageText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'Usage: twinspace <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `twinspace <command> --help` for a command\'s options.',
  ].join('\n');
}

function commandHelp(c: Command): string {
  return `Usage: ${c.usage}\n\n${c.summary}`;
}

/** Runs the command line; returns the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(usageText());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err(`twinspace: unknown command "${name}"\n\n${usageText()}`);
    return 2;
  }
  let values: Values, positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: rest, options: { ...cmd.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }) as { values: Values; positionals: string[] });
  } catch (e) {
    io.err(`twinspace ${name}: ${(e as Error).message}\n\n${commandHelp(cmd)}`);
    return 2;
  }
  if (values['help']) {
    io.out(commandHelp(cmd));
    return 0;
  }
  const required = cmd.args.filter((a) => !a.endsWith('?')).length;
  if (positionals.length < required || positionals.length > cmd.args.length) {
    io.err(`twinspace ${name}: expected ${cmd.args.join(' ') || 'no arguments'}, got ${positionals.length} argument(s)\n\n${commandHelp(cmd)}`);
    return 2;
  }
  try {
    return await cmd.run(values, positionals, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`twinspace ${name}: ${e.message}\n\n${commandHelp(cmd)}`);
      return 2;
    }
    if (e instanceof InputError) {
      io.err(e.message);
      return 1;
    }
    throw e;
  }
}
