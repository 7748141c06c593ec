import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { defaultLanguage, languages, type Language } from '../../i18n/languages.ts';
import { DID_PATH, ISSUER_PATH, STATUS_LIST_PATH, certificateIdOf, certificatePaths } from '../../lib/certificates/did.ts';
import type { Access } from '../auth.ts';
import { OB3_CONTEXT } from '../certificates/credential.ts';
import { didDocument, type Issuer } from '../certificates/issuer.ts';
import type { ModuleFacts } from '../certificates/modules.ts';
import { certificatePdf } from '../certificates/pdf.ts';
import { CertificateError, type CertificateService } from '../certificates/service.ts';
import type { CertificateTable } from '../db/schema.ts';
import { XapiError } from '../errors/xapi-error.ts';
import { certificateResponse, certificatesResponse, didDocumentResponse, issuerProfileResponse, serializedResponse } from '../responses.ts';

/** What the certificate routes need from the app. */
export interface CertificateRoutesOptions {
  service: CertificateService;
  issuer: Issuer;
  modules: ReadonlyMap<string, ModuleFacts>;
  /** The route hook that checks HTTP Basic credentials and sets request.principal (src/lrs/auth.ts). */
  authorize: (access: Access) => (request: FastifyRequest) => Promise<void>;
  publicOrigin: string;
}

/** A certificate as the learner's API answers it: the credential and the links to its files. */
export interface CertificateAnswer {
  /** The certificate id (a UUID; the credential's id is "urn:uuid:" + it). */
  id: string;
  module: string;
  /** ISO 8601 instants. */
  issued: string;
  revoked: string | null;
  /** The VC-JWT, to keep in an Open Badges wallet. */
  credential: string;
  /** Absolute URLs: the credential file, the PDF in each language, the verification page in each language. */
  links: { credential: string; pdf: Record<Language, string>; verify: Record<Language, string> };
}

const issueBody = z.strictObject({
  module: z.string().regex(/^[a-z0-9-]{1,100}$/, 'must be a module slug such as "understanding-the-convention"'),
});
const fileParams = z.strictObject({ file: z.string() });
const fileQuery = z.strictObject({ lang: z.enum(languages, { error: `must be one of ${languages.join(', ')}` }).optional() });

/** The PDF's figures, read back from the signed credential (what the learner holds is what is printed). */
function pdfFacts(row: CertificateTable) {
  const claims = decodeJwt(row.credential) as {
    credentialSubject?: {
      identifier?: { identityHash?: string }[];
      result?: { value?: string }[];
      achievement?: { resultDescription?: { requiredValue?: string }[] };
    };
    evidence?: { name?: string; audience?: string }[];
  };
  const subject = claims.credentialSubject ?? {};
  const evidence = claims.evidence?.[0];
  return {
    name: subject.identifier?.[0]?.identityHash ?? '',
    scorePercent: Number(subject.result?.[0]?.value ?? 0),
    passMarkPercent: Number(subject.achievement?.resultDescription?.[0]?.requiredValue ?? 0),
    ...(evidence === undefined ? {} : { workshop: { cohort: evidence.name ?? '', country: evidence.audience ?? '' } }),
  };
}

/** A certificate as the learner's API answers it, with its absolute links. */
function answerOf(row: CertificateTable, publicOrigin: string): CertificateAnswer {
  const each = (path: (id: string, lang: Language) => string) =>
    Object.fromEntries(languages.map((lang) => [lang, `${publicOrigin}${path(row.id, lang)}`])) as Record<Language, string>;
  return {
    id: row.id,
    module: row.module,
    issued: row.issued,
    revoked: row.revoked,
    credential: row.credential,
    links: {
      credential: `${publicOrigin}${certificatePaths.credential(row.id)}`,
      pdf: each(certificatePaths.pdf),
      verify: each(certificatePaths.verify),
    },
  };
}

/** The learner behind a request: 401 without a credential, 403 with one not bound to an Agent. */
function learnerOf(request: FastifyRequest) {
  const principal = request.principal;
  if (principal === undefined) throw new XapiError(401, 'send a learner credential with HTTP Basic in the Authorization header');
  if (principal.agent === undefined)
    throw new XapiError(403, 'a certificate is issued to a learner: use a learner credential (POST /api/learners), bound to its agent');
  return { agent: principal.agent, key: principal.key };
}

const publicJson = (reply: FastifyReply, seconds: number) =>
  reply.header('Cache-Control', `public, max-age=${seconds}`).header('Access-Control-Allow-Origin', '*');

/**
 * The certificate routes (issue 14): the issuer's DID document (GET /.well-known/did.json), its
 * Open Badges Profile (GET /api/certificates/issuer) and revocation status list
 * (GET /api/certificates/status/revocation, a VC-JWT), all public; a learner's certificates
 * (POST /api/certificates `{ module }` issues or returns theirs, GET /api/certificates lists them;
 * HTTP Basic with a learner credential: 401 without, 403 with one not bound to an Agent, 409
 * without the criteria met, 400 for an unknown module); and each certificate's public files,
 * by its unguessable id (certificateFiles). docs/certificates.md.
 * @param app the Fastify scope, at the server's root
 * @param options see CertificateRoutesOptions
 */
export async function certificateRoutes(app: FastifyInstance, options: CertificateRoutesOptions): Promise<void> {
  const { service, issuer, publicOrigin } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get(DID_PATH, { schema: { response: { 200: didDocumentResponse } } }, async (_request, reply) => {
    publicJson(reply, 300).type('application/did+json');
    return didDocument(issuer);
  });
  routes.get(ISSUER_PATH, { schema: { response: { 200: issuerProfileResponse } } }, async (_request, reply) => {
    publicJson(reply, 300);
    return { '@context': OB3_CONTEXT, ...issuer.profile };
  });
  routes.get(STATUS_LIST_PATH, { schema: { response: { 200: serializedResponse } } }, async (_request, reply) => {
    // Short-lived: a revocation must reach verifiers soon; offline pages keep their last copy.
    publicJson(reply, 60).type('application/vc+jwt');
    return service.statusList();
  });
  const learnerOnly = { onRequest: options.authorize('statements/write') };
  routes.post(
    '/api/certificates',
    { ...learnerOnly, schema: { body: issueBody, response: { 200: certificateResponse } } },
    async (request) => {
      const { agent, key } = learnerOf(request);
      try {
        return answerOf(await service.issue(agent, key, request.body.module), publicOrigin);
      } catch (error) {
        if (!(error instanceof CertificateError)) throw error;
        throw new XapiError(error.reason === 'no-completion' ? 409 : error.reason === 'not-found' ? 404 : 400, error.message);
      }
    },
  );
  routes.get('/api/certificates', { ...learnerOnly, schema: { response: { 200: certificatesResponse } } }, async (request) => {
    const { agent } = learnerOf(request);
    return { certificates: (await service.mine(agent)).map((row) => answerOf(row, publicOrigin)) };
  });
  certificateFiles(app, options);
}

/**
 * GET /api/certificates/{id}.jwt (the credential, for an Open Badges wallet) and
 * GET /api/certificates/{id}.pdf?lang=en|fr|es (the printable certificate with its QR code),
 * public to whoever has the random id; 404 for an unknown id or file name.
 */
function certificateFiles(app: FastifyInstance, options: CertificateRoutesOptions): void {
  const { service, issuer, publicOrigin } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const schema = { params: fileParams, querystring: fileQuery, response: { 200: serializedResponse } };
  routes.get('/api/certificates/:file', { schema }, async (request, reply) => {
    const match = /^(.+)\.(jwt|pdf)$/.exec(request.params.file);
    const id = match?.[1] === undefined ? undefined : certificateIdOf(match[1]);
    if (match === null || id === undefined) throw new XapiError(404, 'a certificate file is /api/certificates/{uuid}.jwt or .pdf');
    const row = await service.find(id);
    if (row === undefined) throw new XapiError(404, `no certificate ${id} on this LRS`);
    reply.header('Access-Control-Allow-Origin', '*').header('Cache-Control', 'no-cache');
    if (match[2] === 'jwt') {
      reply.type('application/vc+jwt').header('Content-Disposition', `attachment; filename="certificate-${row.module}.jwt"`);
      return row.credential;
    }
    const lang = request.query.lang ?? defaultLanguage;
    const facts = options.modules.get(row.module);
    if (facts === undefined) throw new XapiError(404, `module "${row.module}" of certificate ${id} is no longer on this site`);
    const pdf = await certificatePdf({
      lang,
      id: `urn:uuid:${row.id}`,
      ...pdfFacts(row),
      moduleTitle: facts.title[lang],
      moduleNumber: facts.number,
      lessons: facts.lessons,
      issued: row.issued,
      issuerName: issuer.profile.name,
      verifyUrl: `${publicOrigin}${certificatePaths.verify(row.id, lang)}`,
    });
    reply.type('application/pdf').header('Content-Disposition', `attachment; filename="certificate-${row.module}-${lang}.pdf"`);
    return pdf;
  });
}
