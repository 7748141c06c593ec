import { SignJWT } from 'jose';
import type { Language } from '../../i18n/languages.ts';
import { useTranslations } from '../../i18n/translator.ts';
import { STATUS_LIST_PATH } from '../../lib/certificates/did.ts';
import { CERTIFICATE_ALGORITHM, type Issuer } from './issuer.ts';
import type { ModuleFacts } from './modules.ts';

/** The JSON-LD contexts of an Open Badges 3.0 credential (OB 3.0 section 8.1; VC Data Model 2.0). */
export const OB3_CONTEXT = ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'];

/** What a certificate attests: a learner's verified completion of a module. */
export interface Completion {
  /** The certificate id, a random UUID (the credential's id is "urn:uuid:" + it). */
  id: string;
  /** The learner's name as they gave it (learners.name). */
  name: string;
  module: ModuleFacts;
  /** The final assessment's module activity IRI (src/lib/xapi/activities.ts moduleId): the achievement's id. */
  achievementId: string;
  /** The language of the learner's passing attempt: the credential's texts are in it. */
  language: Language;
  /** The passing attempt's score, 0 to 1 (result.score.scaled). */
  scaled: number;
  /** The final assessment's pass mark, 0 to 1. */
  passMark: number;
  /** The workshop of the passing attempt, when it came from a workshop link. */
  workshop?: { cohort: string; country: string } | undefined;
  /** Issuance, ISO 8601 instant. */
  issued: string;
  /** The credential's bit in the revocation status list. */
  statusIndex: number;
}

/** A whole percentage of a share, as Open Badges results state it ("85" for 0.851). */
function percent(share: number): string {
  return String(Math.round(share * 100));
}

/**
 * The Open Badges 3.0 OpenBadgeCredential of a completion, unsigned: the achievement is the
 * module (type CertificateOfCompletion) with its criteria (its lessons, and the final assessment
 * passed at the pass mark) and a Percent result description; the subject carries the learner's
 * name as an IdentityObject, the score as a Result, and the workshop (cohort, country) as Evidence;
 * credentialStatus points at the revocation status list.
 * @param completion see Completion
 * @param issuer the issuer (src/lrs/certificates/issuer.ts)
 * @param publicOrigin the LRS's public origin: the base of the status list's URL
 * @returns the credential as JSON (OB 3.0 section 4 data model, VC Data Model 2.0)
 */
export function openBadgeCredential(completion: Completion, issuer: Issuer, publicOrigin: string): Record<string, unknown> {
  const t = useTranslations(completion.language);
  const { module, language } = completion;
  const resultId = `${completion.achievementId}#final-assessment`;
  const statusList = `${publicOrigin}${STATUS_LIST_PATH}`;
  const workshop = completion.workshop;
  const country = workshop?.country ? (new Intl.DisplayNames([language], { type: 'region' }).of(workshop.country) ?? workshop.country) : '';
  return {
    '@context': OB3_CONTEXT,
    id: `urn:uuid:${completion.id}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: module.title[language],
    issuer: issuer.profile,
    validFrom: completion.issued,
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: completion.name }],
      achievement: {
        id: completion.achievementId,
        type: ['Achievement'],
        achievementType: 'CertificateOfCompletion',
        name: module.title[language],
        description: module.summary[language],
        criteria: {
          narrative: t('certificate.criteria', {
            count: module.lessons,
            passMark: new Intl.NumberFormat(language, { style: 'percent' }).format(completion.passMark),
          }),
        },
        resultDescription: [
          {
            id: resultId,
            type: ['ResultDescription'],
            name: t('certificate.result'),
            resultType: 'Percent',
            requiredValue: percent(completion.passMark),
          },
        ],
        inLanguage: language,
      },
      result: [{ type: ['Result'], resultDescription: resultId, value: percent(completion.scaled) }],
    },
    ...(workshop && (workshop.cohort || workshop.country)
      ? {
          evidence: [
            {
              type: ['Evidence'],
              genre: 'Workshop',
              name: workshop.cohort,
              description: t('certificate.workshop', { cohort: workshop.cohort, country }),
              audience: workshop.country,
            },
          ],
        }
      : {}),
    credentialStatus: {
      id: `${statusList}#${completion.statusIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(completion.statusIndex),
      statusListCredential: statusList,
    },
  };
}

/**
 * Sign a credential as a VC-JWT (Open Badges 3.0 section 8.2; VC-JOSE-COSE): the JWT's claims are
 * the credential's members, with the registered claims iss (issuer.id), jti (id), nbf (validFrom)
 * and exp (validUntil, when there is one); the header names the key by its DID URL.
 * @param credential an OpenBadgeCredential or a BitstringStatusListCredential, with id, issuer
 *   and validFrom
 * @param issuer the issuer whose key signs
 * @returns the JWT in compact serialization
 */
export async function signCredential(credential: Record<string, unknown>, issuer: Issuer): Promise<string> {
  const validFrom = Date.parse(String(credential['validFrom']));
  const validUntil = credential['validUntil'] === undefined ? undefined : Date.parse(String(credential['validUntil']));
  const jwt = new SignJWT(credential)
    .setProtectedHeader({ alg: CERTIFICATE_ALGORITHM, kid: issuer.keyId, typ: 'JWT' })
    .setIssuer(issuer.did)
    .setJti(String(credential['id']))
    .setNotBefore(Math.floor(validFrom / 1000));
  if (validUntil !== undefined) jwt.setExpirationTime(Math.floor(validUntil / 1000));
  return jwt.sign(issuer.privateKey);
}
