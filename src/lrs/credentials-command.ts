import { parseArgs } from 'node:util';
import { openDatabase } from './db/open.ts';
import { SCOPES, createCredentialStore } from './store/credentials.ts';

const USAGE = `Usage:
  npm run lrs -- credentials create SCOPE [SCOPE ...] [--label TEXT]   (or --scope SCOPE ...)
  npm run lrs -- credentials list
  npm run lrs -- credentials revoke KEY

Scopes: ${SCOPES.join(', ')}.
The database is the server's: LRS_DATABASE_URL (PostgreSQL) or LRS_DB_PATH (SQLite, default ./data/lrs.sqlite).
The secret is printed once, at creation, and stored only as a scrypt hash.`;

/**
 * `npm run lrs -- credentials create|list|revoke`: manage the LRS's HTTP Basic credentials and
 * their xAPI scopes in its database.
 * @param args the words after "credentials", e.g. ["create", "--scope", "statements/read", "--label", "Secretariat"]
 * @param database the LRS database location (SQLite path or PostgreSQL URL)
 * @returns the process exit code: 0 done, 1 the credential to revoke was not found, 2 a usage error
 *   (printed with the usage text)
 */
export async function credentialsCommand(args: readonly string[], database: string): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { scope: { type: 'string', multiple: true }, label: { type: 'string' }, help: { type: 'boolean' } },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [action, ...rest] = parsed.positionals;
  if (parsed.values.help === true || action === undefined) {
    console.log(USAGE);
    return action === undefined && parsed.values.help !== true ? 2 : 0;
  }
  const lrs = await openDatabase(database);
  try {
    const credentials = createCredentialStore(lrs);
    switch (action) {
      case 'create': {
        const scopes = [...(parsed.values.scope ?? []), ...rest];
        let created;
        try {
          created = await credentials.create(scopes, parsed.values.label ?? '');
        } catch (error) {
          console.error(`${(error as Error).message}\n\n${USAGE}`);
          return 2;
        }
        console.log(`key:    ${created.key}\nsecret: ${created.secret}\nscopes: ${scopes.join(' ')}\n(store the secret now: it is not kept and cannot be shown again)`);
        return 0;
      }
      case 'list': {
        const rows = await credentials.list();
        console.log(['key\tscopes\tlabel\tcreated\trevoked', ...rows.map((row) => [row.key, row.scopes.join(' '), row.label, row.created, row.revoked ?? '-'].join('\t'))].join('\n'));
        return 0;
      }
      case 'revoke': {
        const [key] = rest;
        if (key === undefined) {
          console.error(`revoke needs the credential's key\n\n${USAGE}`);
          return 2;
        }
        if (!(await credentials.revoke(key))) {
          console.error(`no valid credential with key ${key}`);
          return 1;
        }
        console.log(`revoked ${key}`);
        return 0;
      }
      default:
        console.error(`unknown action "${action}"\n\n${USAGE}`);
        return 2;
    }
  } finally {
    await lrs.close();
  }
}
