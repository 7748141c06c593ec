// Types of @digitalbazaar/bitstring 3 (it ships none): the calls src/lrs/certificates/service.ts makes.
declare module '@digitalbazaar/bitstring' {
  /** A fixed-length bit array, first index the left-most bit (W3C Bitstring Status List v1.0, section 3.2). */
  export class Bitstring {
    constructor(options: { length: number } | { buffer: Uint8Array });
    readonly length: number;
    set(position: number, on: boolean): void;
    get(position: number): boolean;
    /** GZIP-compressed, then base64url without padding. */
    encodeBits(): Promise<string>;
    static decodeBits(options: { encoded: string }): Promise<Uint8Array>;
  }
}
