import type { Statement } from '@xapi/xapi';
import { v4 as uuidv4 } from 'uuid';
import { CredentialError, claimCode, storedCredential } from './credential.ts';
import { basicAuthorization, type Learner, type LearnerCredential } from './learner.ts';
import { LrsError } from './lrs-error.ts';
import { restoreProgress } from './restore.ts';
import { adoptLearner, currentLearner, getOutbox, storeRestored } from './tracking.ts';

// Browser-side: continue on another device. The code shown on the first device is traded for
// a credential bound to the same agent (POST /api/learners/claim), then the learner's progress
// is rebuilt from their own statements in the LRS.

/**
 * Every statement of the credential's agent, following `more` links (xAPI 1.0.3 Communication
 * 2.1.3). The LRS gives a learner's credential its own statements only (docs/lrs.md).
 * @param endpoint the LRS's xAPI base URL, absolute
 * @throws LrsError with the LRS's status, or without status when it cannot be reached
 */
export async function fetchOwnStatements(endpoint: string, credential: LearnerCredential): Promise<Statement[]> {
  const headers = { Authorization: basicAuthorization(credential), 'X-Experience-API-Version': '1.0.3' };
  const agent = JSON.stringify({ objectType: 'Agent', account: credential.agent.account });
  const out: Statement[] = [];
  let url: string | undefined = new URL(`statements?${new URLSearchParams({ agent, limit: '500' })}`, endpoint).href;
  while (url) {
    let res: Response;
    try {
      res = await fetch(url, { headers });
    } catch (error) {
      throw new LrsError(`the LRS cannot be reached: ${(error as Error).message}`);
    }
    if (!res.ok) throw new LrsError(await res.text(), res.status);
    const page = (await res.json()) as { statements: Statement[]; more?: string };
    out.push(...page.statements);
    url = page.more ? new URL(page.more, endpoint).href : undefined;
  }
  return out;
}

/**
 * Read the learner's statements with the stored credential and keep what they give on this
 * device: progress per registration, the learner's own registration and their workshop.
 * @param finalAssessments the quiz ids of the modules' final assessments
 * @throws LrsError as fetchOwnStatements; CredentialError when no credential is stored
 */
export async function restoreFromLrs(endpoint: string, finalAssessments: readonly string[]): Promise<Learner> {
  const credential = storedCredential();
  if (!credential) throw new CredentialError('no credential on this device');
  const restored = restoreProgress(await fetchOwnStatements(endpoint, credential), finalAssessments, credential.agent.account.homePage);
  const learner = currentLearner() ?? { name: credential.agent.name ?? '', registration: uuidv4() };
  const updated = { ...learner, registration: restored.ownRegistration ?? learner.registration };
  adoptLearner(updated, credential);
  storeRestored(restored);
  return updated;
}

/**
 * Trade a transfer code for this learner's credential, make them the learner of this device,
 * then restore their progress from the LRS.
 * @returns the learner, and the error that kept progress from being read (the learner is set anyway)
 * @throws Error with code 'pending' while another learner's statements wait to be sent here;
 *   CredentialError for a wrong, used or expired code (400/404) or an unreachable server
 */
export async function continueWithCode(
  code: string,
  endpoint: string,
  finalAssessments: readonly string[],
): Promise<{ learner: Learner; readError?: Error }> {
  if (currentLearner() && getOutbox().pending() > 0)
    throw Object.assign(new Error('statements of the current learner wait to be sent'), { code: 'pending' });
  const credential = await claimCode(code);
  const learner: Learner = { name: credential.agent.name ?? '', registration: uuidv4() };
  adoptLearner(learner, credential);
  try {
    return { learner: await restoreFromLrs(endpoint, finalAssessments) };
  } catch (error) {
    return { learner, readError: error as Error };
  }
}
