// Opens the store a `--db` URL names (interfaces.md): `sqlite:<path>`
// (default `sqlite:./data/twinspace.db`, `sqlite::memory:` for a throwaway
// store) or `postgres://user[:password]@host[:port]/database[?schema=name]`
// (postgresql:// too; `schema` puts the tables in that schema, created when
// absent, so one database can hold several twins).
import { UsageError } from '../shared.ts';
import { PostgresStore } from './postgres.ts';
import { SqliteStore } from './sqlite.ts';
import type { Store } from './types.ts';

/** The store used when no `--db` is given, relative to the working directory. */
export const DEFAULT_DB_URL = 'sqlite:./data/twinspace.db';

/** Opens (creating when absent) the store at `url`; throws UsageError for a URL it cannot serve. */
export async function openStore(url: string = DEFAULT_DB_URL): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new UsageError('--db sqlite: needs a path, e.g. sqlite:./data/twinspace.db');
    return new SqliteStore(path);
  }
  if (/^postgres(ql)?:\/\//.test(url)) return PostgresStore.open(url);
  throw new UsageError(`--db must be sqlite:<path> or postgres://…, got ${JSON.stringify(url)}`);
}

export type { Store } from './types.ts';
