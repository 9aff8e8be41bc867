import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A software authenticator for server tests: an ES256 key pair made with
 * node:crypto, 'none' attestation, and a signature counter the test controls.
 * It answers the options the server gives as a browser would
 * (navigator.credentials.create/get encoded as @simplewebauthn/browser does),
 * and lets a test lie about the origin, the challenge, the RP ID or the counter.
 */

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

// The little CBOR (RFC 8949) an attestation object and a COSE key need: maps, integers, byte and text strings.
function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;
function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === 'string') {
    const t = Buffer.from(v, 'utf8');
    return Buffer.concat([head(3, t.length), t]);
  }
  if (v instanceof Uint8Array) return Buffer.concat([head(2, v.length), Buffer.from(v)]);
  return Buffer.concat([head(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])]);
}

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export interface Lies {
  origin?: string;
  challenge?: string;
  rpId?: string;
  /** The counter to report this time (default: one more than the last). */
  counter?: number;
  type?: string;
}

export class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  private readonly privateKey: KeyObject;
  private readonly cosePublicKey: Buffer;
  counter: number;

  constructor(readonly origin: string, readonly rpId: string, opts: { counter?: number } = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    // COSE_Key: kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y
    this.cosePublicKey = cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x!, 'base64url')], [-3, Buffer.from(jwk.y!, 'base64url')]]));
    this.counter = opts.counter ?? 0;
  }

  get id() {
    return b64url(this.credentialId);
  }

  /** The same key in another box: a cloned authenticator, with its own view of the counter. */
  clone(): SoftAuthenticator {
    const copy = Object.create(SoftAuthenticator.prototype) as SoftAuthenticator;
    Object.assign(copy, this);
    return copy;
  }

  private clientData(type: string, challenge: string, lies: Lies) {
    return Buffer.from(JSON.stringify({ type: lies.type ?? type, challenge: lies.challenge ?? challenge, origin: lies.origin ?? this.origin, crossOrigin: false }));
  }

  private authData(flags: number, counter: number, rest: Buffer[] = [], rpId = this.rpId) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), c, ...rest]);
  }

  /** navigator.credentials.create() for the server's creation options. */
  create(options: { challenge: string }, lies: Lies = {}) {
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = this.authData(UP | UV | AT, this.counter, [Buffer.alloc(16), idLength, this.credentialId, this.cosePublicKey], lies.rpId);
    const attestationObject = cbor(new Map<Cbor, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    return {
      id: this.id, rawId: this.id, type: 'public-key',
      response: { clientDataJSON: b64url(this.clientData('webauthn.create', options.challenge, lies)), attestationObject: b64url(attestationObject), transports: ['usb'] },
      clientExtensionResults: {}, authenticatorAttachment: 'cross-platform',
    };
  }

  /** navigator.credentials.get() for the server's request options; the counter moves on unless told. */
  get(options: { challenge: string }, lies: Lies = {}) {
    const counter = lies.counter ?? (this.keepsNoCounter ? 0 : this.counter + 1);
    this.counter = counter;
    const authData = this.authData(UP | UV, counter, [], lies.rpId);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, lies);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: this.id, rawId: this.id, type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature) },
      clientExtensionResults: {}, authenticatorAttachment: 'cross-platform',
    };
  }

  /** Some authenticators keep no counter and report 0 every time. */
  keepsNoCounter = false;
}
