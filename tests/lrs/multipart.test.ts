import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { XapiError } from '../../src/lrs/errors/xapi-error.ts';
import { buildMultipartMixed, checkAttachments, parseStatementRequest } from '../../src/lrs/multipart.ts';
import type { AttachmentPart } from '../../src/lrs/multipart.ts';

const BOUNDARY = '-------314159265358979323846';
const MIXED = `multipart/mixed; boundary=${BOUNDARY}`;

function sha(content: Buffer | string, algorithm = 'sha256'): string {
  return createHash(algorithm).update(content).digest('hex');
}

interface TestPart {
  headers: string[];
  content: Buffer | string;
}

/** A multipart body the way clients write one: CRLF line ends, closing delimiter, optional extras. */
function multipart(parts: TestPart[], options: { preamble?: string; epilogue?: string; boundary?: string } = {}): Buffer {
  const boundary = options.boundary ?? BOUNDARY;
  const chunks: Buffer[] = [Buffer.from(options.preamble ?? '')];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${part.headers.map((line) => `${line}\r\n`).join('')}\r\n`));
    chunks.push(Buffer.from(part.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--${options.epilogue ?? ''}`));
  return Buffer.concat(chunks);
}

function jsonPart(value: unknown): TestPart {
  return { headers: ['Content-Type: application/json'], content: JSON.stringify(value) };
}

function attachmentPart(content: Buffer | string, contentType = 'text/plain', hash = sha(content)): TestPart {
  return {
    headers: [`Content-Type: ${contentType}`, 'Content-Transfer-Encoding: binary', `X-Experience-API-Hash: ${hash}`],
    content,
  };
}

function attachment(content: Buffer | string, extra: Record<string, unknown> = {}) {
  return {
    usageType: 'http://example.com/attachment-usage/test',
    display: { 'en-US': 'A test attachment' },
    contentType: 'text/plain',
    length: Buffer.byteLength(content),
    sha2: sha(content),
    ...extra,
  };
}

function badRequestFrom(run: () => unknown): XapiError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(XapiError);
    expect((error as XapiError).statusCode).toBe(400);
    return error as XapiError;
  }
  throw new Error('expected a 400 XapiError, but nothing was thrown');
}

const TEXT1 = 'here is a simple attachment';
const TEXT2 = 'here is another simple attachment';

describe('parseStatementRequest', () => {
  it('splits a multipart/mixed request with two attachments', () => {
    const statement = { attachments: [attachment(TEXT1), attachment(TEXT2)] };
    const body = multipart([jsonPart(statement), attachmentPart(TEXT1), attachmentPart(TEXT2, 'text/plain; charset=ascii')]);
    const { json, parts } = parseStatementRequest(body, MIXED);
    expect(json).toEqual(statement);
    expect([...parts.keys()]).toEqual([sha(TEXT1), sha(TEXT2)]);
    expect(parts.get(sha(TEXT1))).toEqual({ contentType: 'text/plain', content: Buffer.from(TEXT1) });
    expect(parts.get(sha(TEXT2))?.contentType).toBe('text/plain; charset=ascii');
  });

  it('reads application/json as a body without parts', () => {
    const { json, parts } = parseStatementRequest(Buffer.from('[{"a":1}]'), 'application/json; charset=utf-8');
    expect(json).toEqual([{ a: 1 }]);
    expect(parts.size).toBe(0);
  });

  it('accepts a preamble, headers without a space, a quoted boundary, a closing line without CRLF and an epilogue', () => {
    const body = multipart(
      [
        { headers: ['Content-Type:application/json'], content: '{"ok":true}' },
        {
          headers: ['content-type:application/octet-stream', 'content-transfer-encoding:BINARY', `x-experience-api-hash:${sha(TEXT1)}`],
          content: TEXT1,
        },
      ],
      { preamble: 'This is the preamble.\r\n', epilogue: '\r\nThis is the epilogue.\r\n' },
    );
    const { json, parts } = parseStatementRequest(body, `Multipart/Mixed; charset=utf-8; boundary="${BOUNDARY}"`);
    expect(json).toEqual({ ok: true });
    expect(parts.get(sha(TEXT1))?.content.toString()).toBe(TEXT1);
  });

  it('accepts a body that opens with a CRLF, as signed statement clients send', () => {
    const body = Buffer.concat([Buffer.from('\r\n'), multipart([jsonPart({ ok: 1 })])]);
    expect(parseStatementRequest(body, MIXED).json).toEqual({ ok: 1 });
  });

  it('accepts a multipart/mixed request without attachments', () => {
    const { json, parts } = parseStatementRequest(multipart([jsonPart([{ a: 1 }])]), MIXED);
    expect(json).toEqual([{ a: 1 }]);
    expect(parts.size).toBe(0);
  });

  it('keeps binary content exactly: CRLFs, NULs, high bytes and boundary-like text', () => {
    const content = Buffer.concat([
      Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x0d, 0x0a, 0x80, 0x0d]),
      Buffer.from(`--${BOUNDARY}\r\n`), // after a lone CR: no delimiter
      Buffer.from(`\r\n--${BOUNDARY}x\r\n`),
      Buffer.from(`\r\n--${BOUNDARY.slice(0, -1)}\r\n`),
      Buffer.from(`\r\n--${BOUNDARY}-x`),
      Buffer.from(Array.from({ length: 256 }, (_, index) => index)),
      Buffer.from('\r\n\r\n'),
    ]);
    const body = multipart([jsonPart({}), attachmentPart(content, 'application/octet-stream')]);
    const part = parseStatementRequest(body, MIXED).parts.get(sha(content));
    expect(part?.content.equals(content)).toBe(true);
  });

  /** The framing of TinCanJS, @xapi/xapi and xAPIWrapper: no CRLF between an attachment and the next delimiter. */
  function clientFramed(parts: TestPart[]): Buffer {
    const chunks: Buffer[] = [];
    parts.forEach((part, index) => {
      chunks.push(Buffer.from(`--${BOUNDARY}\r\n${part.headers.map((line) => `${line}\r\n`).join('')}\r\n`), Buffer.from(part.content));
      if (index === 0) {
        chunks.push(Buffer.from('\r\n'));
      }
    });
    chunks.push(Buffer.from(`\r\n--${BOUNDARY}--\r\n`));
    return Buffer.concat(chunks);
  }

  it('takes attachments written up to the next delimiter without a CRLF, as TinCanJS and @xapi/xapi send them', () => {
    const third = Buffer.from('ends with a line break\r\n');
    const binary = Buffer.from([0x00, 0x0d, 0x0a, 0x2d, 0x2d, 0xff]);
    const body = clientFramed([
      jsonPart({}),
      attachmentPart(TEXT1),
      attachmentPart(third),
      attachmentPart(binary, 'image/png'),
      attachmentPart(TEXT2),
    ]);
    const { parts } = parseStatementRequest(body, MIXED);
    expect([...parts.values()].map(({ content }) => content.toString('latin1'))).toEqual(
      [TEXT1, third, binary, TEXT2].map((content) => Buffer.from(content).toString('latin1')),
    );
    expect(parts.get(sha(binary))?.contentType).toBe('image/png');
  });

  it('takes a part whose content holds delimiter-like lines when its hash settles the end', () => {
    const tricky = Buffer.from(`first line\r\n--${BOUNDARY}\r\nnot a header, still content`);
    const body = clientFramed([jsonPart({}), attachmentPart(tricky), attachmentPart(TEXT2)]);
    expect(parseStatementRequest(body, MIXED).parts.get(sha(tricky))?.content.equals(tricky)).toBe(true);
  });

  it('reads a part full of delimiter lines in one pass and still answers 400', () => {
    const lines = Buffer.from(`x\r\n${`--${BOUNDARY}\r\n`.repeat(40_000)}`);
    const body = multipart([jsonPart({}), attachmentPart(lines, 'text/plain', sha('something else'))]);
    const started = performance.now();
    expect(badRequestFrom(() => parseStatementRequest(body, MIXED)).message).toMatch(/^part \d+: /);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('gives a part without Content-Type the RFC 2045 default', () => {
    const part = { headers: ['Content-Transfer-Encoding: binary', `X-Experience-API-Hash: ${sha(TEXT1)}`], content: TEXT1 };
    const { parts } = parseStatementRequest(multipart([jsonPart({}), part]), MIXED);
    expect(parts.get(sha(TEXT1))?.contentType).toBe('text/plain; charset=us-ascii');
  });

  it.each([
    ['sha224', 56],
    ['sha384', 96],
    ['sha512', 128],
  ])('accepts an X-Experience-API-Hash made with %s', (algorithm, length) => {
    const hash = sha(TEXT1, algorithm);
    expect(hash).toHaveLength(length);
    const body = multipart([jsonPart({}), attachmentPart(TEXT1, 'text/plain', hash.toUpperCase())]);
    expect([...parseStatementRequest(body, MIXED).parts.keys()]).toEqual([hash]);
  });

  it('rejects a Content-Type other than application/json or multipart/mixed', () => {
    const body = multipart([jsonPart({}), attachmentPart(TEXT1)]);
    const error = badRequestFrom(() => parseStatementRequest(body, `multipart/form-data; boundary=${BOUNDARY}`));
    expect(error.message).toMatch(/Content-Type.*multipart\/form-data/);
  });

  it.each(['multipart/mixed;', 'multipart/mixed', 'multipart/mixed; boundary=', 'multipart/mixed; charset=utf-8'])(
    'rejects multipart/mixed without a boundary: %s',
    (contentType) => {
      const error = badRequestFrom(() => parseStatementRequest(multipart([jsonPart({})]), contentType));
      expect(error.message).toMatch(/boundary/);
    },
  );

  it('rejects a boundary longer than 70 characters', () => {
    const boundary = 'b'.repeat(71);
    const body = multipart([jsonPart({})], { boundary });
    expect(badRequestFrom(() => parseStatementRequest(body, `multipart/mixed; boundary=${boundary}`)).message).toMatch(/boundary/);
  });

  it('rejects a body without any delimiter line', () => {
    const error = badRequestFrom(() => parseStatementRequest(Buffer.from('Content-Type: application/json\r\n\r\n{}'), MIXED));
    expect(error.message).toMatch(/delimiter/);
  });

  it('rejects a body without the closing delimiter', () => {
    const body = Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/json\r\n\r\n{}\r\n`);
    expect(badRequestFrom(() => parseStatementRequest(body, MIXED)).message).toMatch(/closing delimiter/);
  });

  it('rejects a first part that is not application/json', () => {
    const body = multipart([{ headers: ['Content-Type: text/plain'], content: '{}' }, attachmentPart(TEXT1)]);
    expect(badRequestFrom(() => parseStatementRequest(body, MIXED)).message).toMatch(/^part 1: .*application\/json/);
  });

  it('rejects a first part without Content-Type', () => {
    const body = multipart([{ headers: [], content: '{}' }]);
    expect(badRequestFrom(() => parseStatementRequest(body, MIXED)).message).toMatch(/^part 1: /);
  });

  it('rejects a first part that is not valid JSON', () => {
    const body = multipart([{ headers: ['Content-Type: application/json'], content: "{'id': 1}" }]);
    expect(badRequestFrom(() => parseStatementRequest(body, MIXED)).message).toMatch(/^part 1: .*JSON/);
  });

  it('rejects statements whose next part lacks its boundary (the attachment runs into the JSON)', () => {
    const json = JSON.stringify({ attachments: [attachment(TEXT1)] });
    const body = Buffer.from(
      `--${BOUNDARY}\r\nContent-Type: application/json\r\n\r\n${json}\r\nContent-Type: text/plain\r\n` +
        `Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${sha(TEXT1)}\r\n\r\n${TEXT1}\r\n--${BOUNDARY}--\r\n`,
    );
    expect(badRequestFrom(() => parseStatementRequest(body, MIXED)).message).toMatch(/^part 1: .*JSON/);
  });

  it('rejects an invalid JSON application/json body', () => {
    expect(badRequestFrom(() => parseStatementRequest(Buffer.from('{'), 'application/json')).message).toMatch(/JSON/);
  });

  it('rejects a part without X-Experience-API-Hash, such as a second statements part', () => {
    const body = multipart([jsonPart({}), jsonPart({}), attachmentPart(TEXT1)]);
    expect(badRequestFrom(() => parseStatementRequest(body, MIXED)).message).toMatch(/^part 2: .*X-Experience-API-Hash/);
  });

  it.each([['Content-Transfer-Encoding: base64'], []])(
    'rejects a part whose Content-Transfer-Encoding is not binary (%s)',
    (...encoding: string[]) => {
      const part = { headers: ['Content-Type: text/plain', ...encoding, `X-Experience-API-Hash: ${sha(TEXT1)}`], content: TEXT1 };
      const body = multipart([jsonPart({}), part]);
      expect(badRequestFrom(() => parseStatementRequest(body, MIXED)).message).toMatch(/^part 2: Content-Transfer-Encoding/);
    },
  );

  it('rejects a part whose hash is not the SHA-2 of its content', () => {
    const body = multipart([jsonPart({}), attachmentPart(TEXT1), attachmentPart(TEXT2, 'text/plain', sha(TEXT1 + '!'))]);
    expect(badRequestFrom(() => parseStatementRequest(body, MIXED)).message).toMatch(/^part 3: .*not the SHA256/);
  });

  it.each(['abc', 'z'.repeat(64), sha(TEXT1).slice(1)])('rejects a hash that is no SHA-2 hex digest: %s', (hash) => {
    const body = multipart([jsonPart({}), attachmentPart(TEXT1, 'text/plain', hash)]);
    expect(badRequestFrom(() => parseStatementRequest(body, MIXED)).message).toMatch(/^part 2: .*hex/);
  });

  it('rejects a malformed part header line', () => {
    const body = multipart([jsonPart({}), { headers: ['no colon here'], content: TEXT1 }]);
    expect(badRequestFrom(() => parseStatementRequest(body, MIXED)).message).toMatch(/^part 2: malformed header/);
  });
});

describe('checkAttachments', () => {
  const parts = (...contents: string[]): Map<string, AttachmentPart> =>
    new Map(contents.map((content) => [sha(content), { contentType: 'text/plain', content: Buffer.from(content) }]));

  it('accepts attachments that each have a part or a fileUrl', () => {
    const statements = [
      { attachments: [attachment(TEXT1), attachment('remote', { fileUrl: 'https://example.org/remote.txt' })] },
      { attachments: [attachment(TEXT2, { sha2: sha(TEXT2).toUpperCase() })] },
      {},
    ];
    expect(() => checkAttachments(statements, parts(TEXT1, TEXT2))).not.toThrow();
  });

  it('accepts one part shared by two statements and a part for an attachment that also has a fileUrl', () => {
    const statements = [
      { attachments: [attachment(TEXT1)] },
      { attachments: [attachment(TEXT1), attachment(TEXT2, { fileUrl: 'https://example.org/2.txt' })] },
    ];
    expect(() => checkAttachments(statements, parts(TEXT1, TEXT2))).not.toThrow();
  });

  it('rejects an attachment without fileUrl whose part is missing', () => {
    const statements = [{ attachments: [attachment(TEXT1), attachment(TEXT2)] }];
    const error = badRequestFrom(() => checkAttachments(statements, parts(TEXT1)));
    expect(error.message).toMatch(/^statements\[0\]\.attachments\[1\]: has no fileUrl/);
    expect(error.message).toContain(sha(TEXT2));
  });

  it('rejects a part that no attachment references', () => {
    const statements = [{ attachments: [attachment(TEXT1), attachment(TEXT2)] }];
    const error = badRequestFrom(() => checkAttachments(statements, parts(TEXT1, TEXT2, 'an excess part')));
    expect(error.message).toContain(sha('an excess part'));
  });

  it('rejects parts when the statements have no attachments', () => {
    expect(badRequestFrom(() => checkAttachments([{}], parts(TEXT1))).message).toContain(sha(TEXT1));
  });

  it('for application/json (no parts), accepts fileUrl attachments and rejects the others', () => {
    const remote = attachment(TEXT1, { fileUrl: 'http://over.there.com/file.txt' });
    expect(() => checkAttachments([{ attachments: [remote] }], new Map())).not.toThrow();
    const error = badRequestFrom(() => checkAttachments([{ attachments: [remote] }, { attachments: [attachment(TEXT2)] }], new Map()));
    expect(error.message).toMatch(/^statements\[1\]\.attachments\[0\]: has no fileUrl.*multipart\/mixed/);
  });

  it("reads a SubStatement's attachments too", () => {
    const statement = { attachments: [], object: { objectType: 'SubStatement', attachments: [attachment(TEXT1)] } };
    expect(() => checkAttachments([statement], parts(TEXT1))).not.toThrow();
    expect(badRequestFrom(() => checkAttachments([statement], new Map())).message).toMatch(/^statements\[0\]\.object\.attachments\[0\]/);
  });
});

describe('buildMultipartMixed', () => {
  const binary = Buffer.concat([Buffer.from('line one\r\n\r\n--not-a-boundary\r\n'), Buffer.from([0, 1, 2, 0xfe, 0xff, 0x0d])]);
  const attachments = [
    { sha2: sha(TEXT1), contentType: 'text/plain', content: Buffer.from(TEXT1) },
    { sha2: sha(binary), contentType: 'image/png', content: binary },
  ];

  it('writes the JSON part, then one part per attachment with its headers', () => {
    const { contentType, body } = buildMultipartMixed({ statements: [] }, attachments.slice(0, 1));
    const boundary = /^multipart\/mixed; boundary=([0-9a-z]+)$/.exec(contentType)?.[1];
    expect(boundary).toBeDefined();
    expect(body.toString()).toBe(
      `--${boundary}\r\nContent-Type: application/json\r\n\r\n{"statements":[]}\r\n` +
        `--${boundary}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\n` +
        `X-Experience-API-Hash: ${sha(TEXT1)}\r\n\r\n${TEXT1}\r\n--${boundary}--\r\n`,
    );
  });

  it('round-trips through parseStatementRequest, binary content intact', () => {
    const json = { statements: [{ id: 'x', attachments: [attachment(TEXT1)] }], more: '' };
    const { contentType, body } = buildMultipartMixed(json, attachments);
    const parsed = parseStatementRequest(body, contentType);
    expect(parsed.json).toEqual(json);
    expect([...parsed.parts.keys()]).toEqual([sha(TEXT1), sha(binary)]);
    expect(parsed.parts.get(sha(binary))).toEqual({ contentType: 'image/png', content: binary });
  });

  it('sends a repeated attachment once', () => {
    const { contentType, body } = buildMultipartMixed({}, [...attachments, { ...attachments[0]!, sha2: sha(TEXT1).toUpperCase() }]);
    expect(parseStatementRequest(body, contentType).parts.size).toBe(2);
    expect(body.toString('latin1').split(`X-Experience-API-Hash: ${sha(TEXT1)}`)).toHaveLength(2);
  });

  it('writes only the JSON part when there are no attachments', () => {
    const { contentType, body } = buildMultipartMixed([1, 2], []);
    expect(parseStatementRequest(body, contentType)).toEqual({ json: [1, 2], parts: new Map() });
  });

  it('never lets a content type break a header line', () => {
    const { body } = buildMultipartMixed({}, [{ ...attachments[0]!, contentType: 'text/plain\r\nX-Evil: 1' }]);
    expect(body.toString()).not.toContain('X-Evil');
    expect(body.toString()).toContain('Content-Type: application/octet-stream');
  });

  it('refuses a sha2 that is no hex SHA-2 digest', () => {
    expect(() => buildMultipartMixed({}, [{ ...attachments[0]!, sha2: 'nope' }])).toThrow(TypeError);
  });
});
