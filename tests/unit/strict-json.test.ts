import { describe, expect, test } from 'vitest';
import { XapiError } from '../../src/lrs/errors/xapi-error.ts';
import { MAX_DEPTH, decodeUtf8, isExactNumber, parseStrictJson } from '../../src/lrs/strict-json.ts';

/** The message of the 400 that parsing `input` throws. */
function refusal(input: string | Uint8Array, label = 'statement'): string {
  try {
    parseStrictJson(input, label);
  } catch (error) {
    expect(error).toBeInstanceOf(XapiError);
    expect((error as XapiError).statusCode).toBe(400);
    return (error as Error).message;
  }
  throw new Error(`accepted ${String(input)}`);
}

describe('isExactNumber', () => {
  test.each([
    '0',
    '-0',
    '1',
    '1.0',
    '1.50',
    '1e2',
    '100',
    '10e-1',
    '0.1',
    '0.5',
    '-1',
    '1e20',
    '5e-324',
    '1.7976931348623157e308',
    '9007199254740993e0',
    '0e99999',
    '0.30000000000000004',
  ])('keeps %s', (source) => {
    if (source === '9007199254740993e0') {
      expect(isExactNumber(source)).toBe(false);
    } else {
      expect(isExactNumber(source)).toBe(true);
    }
  });
  test.each([
    '12345678901234567890',
    '1e309',
    '-1e309',
    '1e-400',
    '0.10000000000000000001',
    '9007199254740993',
    '3e-324',
    '1.7976931348623159e308',
  ])('refuses %s', (source) => {
    expect(isExactNumber(source)).toBe(false);
  });
});

describe('parseStrictJson', () => {
  test('parses ordinary JSON as JSON.parse does, repeated keys keeping the last', () => {
    const text = '{"a":[1,2.5,"x",null,true],"b":{"c":"é😀"},"a2":1,"a2":2}';
    expect(parseStrictJson(Buffer.from(text), 'document')).toEqual(JSON.parse(text));
  });

  test('refuses invalid UTF-8 with the offset of the first bad byte', () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff]), Buffer.from('"}')]);
    expect(refusal(bytes)).toBe('statement: is not valid UTF-8 (first bad byte at offset 6); send text encoded in UTF-8');
    // An encoded surrogate (CESU-8) is not UTF-8 either.
    expect(refusal(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]))).toMatch(/offset 2/);
    expect(() => decodeUtf8(Buffer.from('é'), 'body')).not.toThrow();
  });

  test('names the path of a lone surrogate, escaped or raw, in values and keys', () => {
    expect(refusal('{"actor":{"mbox":"mailto:a\\ud800@example.org"}}')).toMatch(/^statement\.actor\.mbox: holds a lone surrogate/);
    expect(refusal(`["\udc00"]`, 'statements')).toMatch(/^statements\[0\]: holds a lone surrogate/);
    expect(refusal('{"x":{"\\ud83d":1}}')).toMatch(/^statement\.x\["\\ud83d"\]: the key/);
    expect(parseStrictJson('["\\ud83d\\ude00"]', 'x')).toEqual(['😀']);
  });

  test('names the path and the would-be value of an inexact number', () => {
    expect(refusal('{"result":{"score":{"raw":12345678901234567890}}}')).toBe(
      'statement.result.score.raw: 12345678901234567890 has more digits than a double-precision number keeps (it would become 12345678901234567000); send it as a string or round it',
    );
    expect(refusal('{"e":{"http://example.org/x":[1e309]}}')).toMatch(
      /^statement\.e\["http:\/\/example\.org\/x"\]\[0\]: 1e309 is too large/,
    );
    expect(refusal('[1e-400]', 'document')).toMatch(/^document\[0\]: 1e-400 is too close to zero/);
    expect(parseStrictJson('{"scaled":0.5,"raw":1.0,"big":1e20}', 'x')).toEqual({ scaled: 0.5, raw: 1, big: 1e20 });
  });

  test('refuses "__proto__" keys anywhere and "constructor" objects with a "prototype"', () => {
    expect(refusal('{"a":{"b":[{"__proto__":{"x":1}}]}}')).toMatch(/^statement\.a\.b\[0\]\.__proto__: the key "__proto__" is refused/);
    expect(refusal('{"constructor":{"prototype":{"x":1}}}', 'document')).toMatch(/^document\.constructor: a "constructor" object/);
    expect(parseStrictJson('{"constructor":1,"prototype":2}', 'x')).toEqual({ constructor: 1, prototype: 2 });
  });

  test(`allows ${MAX_DEPTH} levels of nesting and refuses more, even 100,000`, () => {
    expect(() => parseStrictJson(`${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}`, 'x')).not.toThrow();
    expect(refusal(`${'['.repeat(MAX_DEPTH + 1)}${']'.repeat(MAX_DEPTH + 1)}`, 'document')).toMatch(
      new RegExp(`^document\\[0\\]\\[0\\]\\[0\\]\\[0\\]\\[0\\]\\[0\\]\\[0\\]\\[0\\]…: nests JSON deeper than ${MAX_DEPTH} levels`),
    );
    expect(refusal(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`, 'document')).toMatch(/nests JSON deeper/);
  });

  test('reports where JSON is malformed', () => {
    expect(refusal('{"a":')).toMatch(/^statement: is not valid JSON: /);
  });
});

describe('parseStrictJson finds every inexact number, whatever its spelling', () => {
  test.each([
    '9007199254740993',
    `0.${'0'.repeat(330)}1`,
    `1${'0'.repeat(400)}`,
    '1.234567890123456789',
    '123456789012345.678',
    '1e-330',
    '-1e400',
  ])('refuses %s', (number) => {
    expect(refusal(`{"a":[${number}]}`, 'document')).toMatch(/^document\.a\[0\]: /);
  });

  test('keeps 15-digit numbers and UUID-like digit runs in strings without a second parse', () => {
    expect(parseStrictJson('{"n":123456789012345,"m":0.000001234,"s":"12345678901234567890"}', 'x')).toEqual({
      n: 123456789012345,
      m: 0.000001234,
      s: '12345678901234567890',
    });
  });
});
