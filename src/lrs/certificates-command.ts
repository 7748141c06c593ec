import { UsageError, parseCommandArgs, wantsHelp } from '../../scripts/cli.ts';
import { courseName } from '../lib/xapi/activities.ts';
import { DEFAULT_PUBLIC_ORIGIN } from './app.ts';
import { loadIssuer } from './certificates/issuer.ts';
import { loadModuleFacts } from './certificates/modules.ts';
import { CertificateError, createCertificateService } from './certificates/service.ts';
import { openDatabase } from './db/open.ts';
import { loadFinalAssessments } from './final-assessments.ts';
import { loadSigningKey } from './signing.ts';
import { createStatementStore } from './store/statements.ts';

const USAGE = `Usage:
  npm run lrs -- certificates list
  npm run lrs -- certificates revoke ID      (ID: the certificate's UUID, with or without "urn:uuid:")
  npm run lrs -- certificates --help

The database, public origin and content are the server's: LRS_DATABASE_URL or LRS_DB_PATH,
LRS_PUBLIC_ORIGIN, CONTENT_DIR. Revoking sets the certificate's bit in the published status list
(verification pages then say "revoked") and voids its "earned" statement.`;

/** What the command needs of the server's configuration (src/lrs/server.ts loadConfig). */
export interface CertificatesCommandConfig {
  database: string;
  /** The LRS's public origin (default DEFAULT_PUBLIC_ORIGIN, as the server). */
  publicOrigin?: string | undefined;
  /** The content folder (default ./content). */
  contentDir?: string | undefined;
}

/**
 * `npm run lrs -- certificates list|revoke ID`: the Secretariat's commands on issued certificates.
 * @param args the words after "certificates"
 * @param config the server's configuration, or a function giving it, called only when needed
 * @returns the exit code: 0 done (or --help), 1 no such certificate, 2 a usage error (one line on stderr)
 * Source: issue 14 ("Revocation. A Secretariat command ... revokes a certificate, through a
 * published status list").
 */
export async function certificatesCommand(
  args: readonly string[],
  config: CertificatesCommandConfig | (() => CertificatesCommandConfig),
): Promise<number> {
  if (wantsHelp(args)) {
    console.log(USAGE);
    return 0;
  }
  const usageError = (message: string): number => {
    console.error(`npm run lrs -- certificates: ${message} (npm run lrs -- certificates --help shows the usage)`);
    return 2;
  };
  let positionals: string[];
  try {
    positionals = parseCommandArgs(args, { allowPositionals: true, options: {} }).positionals;
  } catch (error) {
    if (error instanceof UsageError) return usageError(error.message);
    throw error;
  }
  const [action, id] = positionals;
  if (action !== 'list' && action !== 'revoke')
    return usageError(
      action === undefined ? 'say what to do: list or revoke' : `unknown action "${action}"; the actions are list and revoke`,
    );
  if (action === 'revoke' && id === undefined)
    return usageError('revoke needs the certificate id, e.g. npm run lrs -- certificates revoke 3f1c…');
  const {
    database: location,
    publicOrigin = DEFAULT_PUBLIC_ORIGIN,
    contentDir = './content',
  } = typeof config === 'function' ? config() : config;
  const database = await openDatabase(location);
  try {
    const store = createStatementStore(database);
    const service = createCertificateService({
      database,
      store,
      issuer: await loadIssuer(database, publicOrigin, courseName.en),
      signingKey: await loadSigningKey(database),
      assessments: loadFinalAssessments(contentDir),
      modules: loadModuleFacts(contentDir),
      publicOrigin,
    });
    if (action === 'list') {
      const rows = await service.list();
      console.log(
        ['id\tmodule\tissued\trevoked', ...rows.map((row) => [row.id, row.module, row.issued, row.revoked ?? '-'].join('\t'))].join('\n'),
      );
      return 0;
    }
    try {
      const row = await service.revoke(id ?? '');
      console.log(`revoked ${row.id} (${row.module}) at ${row.revoked ?? ''}`);
      return 0;
    } catch (error) {
      if (error instanceof CertificateError) {
        console.error(error.message);
        return 1;
      }
      throw error;
    }
  } finally {
    await database.close();
  }
}
